/**
 * Transfer learning: freeze the pretrained layers up to a chosen one, replace
 * the classification head for a new number of classes, unfreeze gradually.
 */
import * as tf from "@tensorflow/tfjs";
import { assemble } from "./assemble.js";
import { modelInfo, setModelInfo } from "./metadata.js";

export type LayerRef = string | number;

function realLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => l.getClassName() !== "InputLayer");
}

/** The index (among non-input layers) of a layer given by name or index; throws naming the choices. */
export function layerIndex(model: tf.LayersModel, ref: LayerRef): number {
  const layers = realLayers(model);
  const index = typeof ref === "number" ? (ref < 0 ? layers.length + ref : ref) : layers.findIndex((l) => l.name === ref);
  if (index < 0 || index >= layers.length) {
    throw new Error(`No layer ${JSON.stringify(ref)} in model "${model.name}"; its layers are: ${layers.map((l) => l.name).join(", ")}`);
  }
  return index;
}

/** Freezes every layer up to and including `upTo`; the layers after it become trainable. */
export function freezeUpTo(model: tf.LayersModel, upTo: LayerRef): tf.LayersModel {
  const last = layerIndex(model, upTo);
  realLayers(model).forEach((layer, i) => {
    layer.trainable = i > last;
  });
  return model;
}

/** Makes layers trainable again: all of them, or those from `from` on. */
export function unfreeze(model: tf.LayersModel, from: LayerRef = 0): tf.LayersModel {
  const first = layerIndex(model, from);
  realLayers(model).forEach((layer, i) => {
    if (i >= first) layer.trainable = true;
  });
  return model;
}

/** Names of the layers with weights that are frozen. */
export function frozenLayers(model: tf.LayersModel): string[] {
  return realLayers(model)
    .filter((l) => l.weights.length > 0 && !l.trainable)
    .map((l) => l.name);
}

export interface ReplaceHeadOptions {
  /** Seeds the new head's initial weights. */
  seed?: number;
  /** Name of the new head layer (default "head"). */
  name?: string;
  /** Keep layers up to and including this one (default: all but the last). */
  keepUpTo?: LayerRef;
}

/**
 * A new model sharing the pretrained layers (their weights and trainable
 * flags) with a fresh Dense head of `classes` outputs (logits). Train it and
 * the shared layers' weights change in the original too, as in Keras: clone
 * first (cloneModel / loadModel) to keep the original.
 */
export function replaceHead(model: tf.LayersModel, classes: number, options: ReplaceHeadOptions = {}): tf.Sequential {
  if (!Number.isInteger(classes) || classes < 1) throw new Error(`replaceHead: classes must be a positive integer, got ${classes}`);
  const layers = realLayers(model);
  const keep = options.keepUpTo === undefined ? layers.length - 2 : layerIndex(model, options.keepUpTo);
  const body = layers.slice(0, keep + 1);
  const head = tf.layers.dense({
    name: options.name ?? "head",
    units: classes,
    kernelInitializer: tf.initializers.glorotUniform({ seed: options.seed }),
  });
  const inputShape = (model.inputs[0].shape as number[]).slice(1);
  const result = assemble([...body, head], { inputShape, name: `${model.name}_head${classes}` });
  const { normalization } = modelInfo(model);
  if (normalization) setModelInfo(result, { normalization });
  return result;
}
