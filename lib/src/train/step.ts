/** One optimization step on one batch: forward in training mode, loss, gradients, update. */
import * as tf from "@tensorflow/tfjs";
import type { Batch } from "../data/batches.js";
import { correctCount, crossEntropy, logProbabilities } from "../model/outputs.js";

export interface StepResult {
  loss: number;
  correct: number;
}

/**
 * Minimizes cross-entropy (+ the layers' regularization penalties) over
 * `vars`, and reads back the batch loss and the number of correct
 * predictions in one sync. Disposes the batch.
 */
export async function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  vars: tf.Variable[],
  batch: Batch,
  classes: number,
  outputsProbabilities: boolean,
): Promise<StepResult> {
  let correct: tf.Scalar | undefined;
  let loss: tf.Scalar | null = null;
  try {
    loss = optimizer.minimize(
      () => {
        const output = model.apply(batch.xs, { training: true }) as tf.Tensor;
        correct = tf.keep(correctCount(output, batch.ys));
        let total = crossEntropy(logProbabilities(output, outputsProbabilities), batch.ys, classes);
        for (const penalty of model.calculateLosses()) total = tf.add(total, penalty);
        return total;
      },
      true,
      vars,
    );
  } finally {
    batch.xs.dispose();
    batch.ys.dispose();
  }
  const stats = tf.stack([loss!, correct!]);
  const [lossValue, correctValue] = await stats.data();
  tf.dispose([stats, loss!, correct!]);
  return { loss: lossValue, correct: correctValue };
}
