/**
 * Optimizers by description ({ type: "sgd", lr, momentum } / { type: "adam", lr }),
 * so a recipe is plain data that a checkpoint can store and a notebook can print.
 */
import * as tf from "@tensorflow/tfjs";

export type OptimizerSpec =
  | { type: "sgd"; lr: number; momentum?: number }
  | { type: "adam"; lr: number; beta1?: number; beta2?: number; epsilon?: number };

export function makeOptimizer(spec: OptimizerSpec): tf.Optimizer {
  checkLearningRate(spec.lr);
  switch (spec.type) {
    case "sgd":
      return spec.momentum ? tf.train.momentum(spec.lr, spec.momentum) : tf.train.sgd(spec.lr);
    case "adam":
      return tf.train.adam(spec.lr, spec.beta1 ?? 0.9, spec.beta2 ?? 0.999, spec.epsilon ?? 1e-7);
    default:
      throw new Error(`Unknown optimizer type ${JSON.stringify((spec as { type: unknown }).type)}: use "sgd" or "adam"`);
  }
}

export function checkLearningRate(lr: number): void {
  if (!(Number.isFinite(lr) && lr > 0)) throw new Error(`The learning rate must be a positive number, got ${lr}`);
}

/** Changes an optimizer's learning rate in place (tfjs has a setter only for SGD). */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  checkLearningRate(lr);
  // tf.Optimizer's instanceof matches any optimizer, so ask for the setter itself (SGD, Momentum)
  const sgd = optimizer as unknown as { setLearningRate?: (lr: number) => void; learningRate: number };
  if (typeof sgd.setLearningRate === "function") sgd.setLearningRate(lr);
  else sgd.learningRate = lr;
}

export function describeOptimizer(spec: OptimizerSpec): string {
  if (spec.type === "sgd") return `SGD lr ${spec.lr}${spec.momentum ? ` momentum ${spec.momentum}` : ""}`;
  return `Adam lr ${spec.lr}`;
}

/**
 * Frees an optimizer's state. tfjs's MomentumOptimizer.dispose() does not
 * free the learning-rate scalar its SGD base keeps, so it is freed here too.
 */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  const c = (optimizer as unknown as { c?: tf.Tensor }).c;
  if (c && !c.isDisposed) c.dispose();
}
