/**
 * One inference pass of a model over an image set: mean loss, accuracy and
 * (optionally) every image's class probabilities. Shared by evaluate() and by
 * the training loop's per-epoch validation.
 */
import * as tf from "@tensorflow/tfjs";
import { batches } from "../data/batches.js";
import type { ImageSet, Normalization } from "../data/types.js";
import { modelInfo } from "../model/metadata.js";
import { correctCount, crossEntropy, logProbabilities, outputsProbabilities } from "../model/outputs.js";

export interface PassOptions {
  batchSize?: number;
  /** Default: the normalization the model was trained with, else "symmetric". */
  normalization?: Normalization;
  /** Keep every image's probabilities (count × classes). */
  probabilities?: boolean;
}

export interface PassResult {
  count: number;
  loss: number;
  accuracy: number;
  probabilities?: Float32Array;
}

export function normalizationFor(model: tf.LayersModel, given?: Normalization): Normalization {
  return given ?? modelInfo(model).normalization ?? "symmetric";
}

export async function inferencePass(model: tf.LayersModel, set: ImageSet, options: PassOptions = {}): Promise<PassResult> {
  if (set.count === 0) throw new Error(`Cannot evaluate on ${set.name}: it has no images`);
  const classes = set.classNames.length;
  const probsOut = outputsProbabilities(model);
  const normalization = normalizationFor(model, options.normalization);
  const probabilities = options.probabilities ? new Float32Array(set.count * classes) : undefined;
  let lossSum = 0;
  let correct = 0;
  for (const batch of batches(set, { batchSize: options.batchSize ?? 256, normalization, labels: "int32" })) {
    const { stats, probs } = tf.tidy(() => {
      const output = model.predict(batch.xs) as tf.Tensor;
      const logProbs = logProbabilities(output, probsOut);
      const loss = tf.mul(crossEntropy(logProbs, batch.ys, classes), batch.size);
      const stats = tf.stack([loss, correctCount(output, batch.ys)]);
      return probabilities ? { stats, probs: tf.exp(logProbs) } : { stats };
    }) as { stats: tf.Tensor; probs?: tf.Tensor };
    batch.xs.dispose();
    batch.ys.dispose();
    const [l, c] = await stats.data();
    stats.dispose();
    lossSum += l;
    correct += c;
    if (probs && probabilities) {
      const values = (await probs.data()) as Float32Array;
      for (let k = 0; k < batch.size; k++) {
        probabilities.set(values.subarray(k * classes, (k + 1) * classes), batch.indices[k] * classes);
      }
      probs.dispose();
    }
  }
  return { count: set.count, loss: lossSum / set.count, accuracy: correct / set.count, probabilities };
}
