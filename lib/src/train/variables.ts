/**
 * Which variables the optimizer updates. tfjs optimizers keep their state
 * (momentum, Adam moments) by *position* in the variable list, so when layers
 * are unfrozen the new variables are appended after the old ones; when the
 * set shrinks (more layers frozen) the optimizer must start afresh.
 */
import type * as tf from "@tensorflow/tfjs";

export interface VariableOrder {
  /** Positions in stableWeights(model), in the order the optimizer has seen them. */
  indices: number[];
  /** True when the list lost variables, so the optimizer's state no longer lines up. */
  reset: boolean;
}

/**
 * Every weight in layer order. (model.weights is trainable-then-frozen, so its
 * order changes when layers are frozen; this one does not.)
 */
export function stableWeights(model: tf.LayersModel): tf.LayerVariable[] {
  return model.layers.flatMap((layer) => layer.weights);
}

export function trainableIndices(model: tf.LayersModel): number[] {
  const trainable = new Set(model.trainableWeights.map((w) => w.id));
  return stableWeights(model).flatMap((w, i) => (trainable.has(w.id) ? [i] : []));
}

export function nextVariableOrder(model: tf.LayersModel, previous: number[] | undefined): VariableOrder {
  const now = trainableIndices(model);
  if (!previous) return { indices: now, reset: false };
  const nowSet = new Set(now);
  if (!previous.every((i) => nowSet.has(i))) return { indices: now, reset: true };
  const previousSet = new Set(previous);
  return { indices: [...previous, ...now.filter((i) => !previousSet.has(i))], reset: false };
}

export function variablesAt(model: tf.LayersModel, indices: number[]): tf.Variable[] {
  const weights = stableWeights(model);
  return indices.map((i) => weights[i].read() as tf.Variable);
}
