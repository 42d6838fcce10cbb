/**
 * Our models output logits (as the seed's PyTorch network does), but a user
 * may end a model with a softmax, Keras-style. Loss and probabilities work
 * for both.
 */
import * as tf from "@tensorflow/tfjs";

/** Whether the model's last layer already applies a softmax. */
export function outputsProbabilities(model: tf.LayersModel): boolean {
  const layers = model.layers;
  const last = layers[layers.length - 1] as unknown as { activation?: { getClassName?: () => string } };
  return last?.activation?.getClassName?.() === "Softmax";
}

/** Log-probabilities [n, classes] from the model's raw outputs. */
export function logProbabilities(output: tf.Tensor, probabilities: boolean): tf.Tensor {
  return probabilities ? tf.log(tf.clipByValue(output, 1e-7, 1)) : tf.logSoftmax(output);
}

/** Probabilities [n, classes] from the model's raw outputs. */
export function toProbabilities(output: tf.Tensor, probabilities: boolean): tf.Tensor {
  return probabilities ? output.clone() : tf.softmax(output);
}

/** Mean cross-entropy of integer labels [n] under log-probabilities [n, classes]. */
export function crossEntropy(logProbs: tf.Tensor, labels: tf.Tensor, classes: number): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(labels.toInt(), classes), logProbs), -1))) as tf.Scalar);
}

/** Number of rows whose arg-max equals the label, as a scalar. */
export function correctCount(output: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(output, -1), labels.toInt()), "float32")) as tf.Scalar);
}
