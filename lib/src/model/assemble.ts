/**
 * Turning a list of tf.layers into a Sequential model: seeds the initializers,
 * turns tf.layers' shape errors and warnings into LayerHookupError.
 */
import * as tf from "@tensorflow/tfjs";
import { checkHookup, LayerHookupError } from "./hookup.js";
import { seedLayer } from "./seeding.js";
import type { Shape } from "./shapes.js";

export interface AssembleOptions {
  /** One image's shape, e.g. [28, 28, 1]. */
  inputShape: readonly number[];
  /** Seeds every layer's initializers (same seed + same backend → same initial weights). */
  seed?: number;
  name?: string;
}

export function assemble(layers: tf.layers.Layer[], options: AssembleOptions): tf.Sequential {
  const model = tf.sequential({ name: options.name });
  model.add(tf.layers.inputLayer({ inputShape: [...options.inputShape] }));
  layers.forEach((layer, index) => addChecked(model, layer, index, options.seed));
  checkHookup(model);
  return model;
}

/** model.add, with a LayerHookupError that names the layer and both shapes when it does not fit. */
export function addChecked(model: tf.Sequential, layer: tf.layers.Layer, index: number, seed?: number): void {
  if (seed !== undefined) seedLayer(layer, seed, index);
  const previous = model.outputs[0]?.shape as Shape | undefined;
  try {
    model.add(layer);
  } catch (error) {
    const expected = (layer as unknown as { batchInputShape?: Shape }).batchInputShape ?? [];
    throw new LayerHookupError(layer.name, expected, previous ?? [], (error as Error).message);
  }
}
