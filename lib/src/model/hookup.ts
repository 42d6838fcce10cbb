/**
 * Catching a wrong layer hookup before training. tf.layers only *warns* when
 * a layer declared for one input shape is added after a layer producing
 * another (the seed's Linear(64*7*7, 128) after a 64×5×5 feature map), then
 * silently rebuilds it; we make that an error naming the layer and both shapes.
 */
import type * as tf from "@tensorflow/tfjs";
import { formatShape, product, sameFeatureShape, type Shape } from "./shapes.js";

export class LayerHookupError extends Error {
  constructor(
    readonly layer: string,
    readonly expected: Shape,
    readonly actual: Shape,
    detail?: string,
  ) {
    super(
      `Layer "${layer}" expects input ${formatShape(expected)} but receives ${formatShape(actual)}` +
        (detail ? `: ${detail}` : "") +
        hint(expected, actual),
    );
    this.name = "LayerHookupError";
  }
}

function hint(expected: Shape, actual: Shape): string {
  if (expected.length === 2 && actual.length === 2) {
    return `. The layer before it gives ${product(actual.slice(1))} features per image, not ${product(expected.slice(1))}; drop the declared inputShape (tf.layers infers it) or fix the size.`;
  }
  return ".";
}

/** The input shape a layer was declared for, if any (inputShape / batchInputShape). */
export function declaredInputShape(layer: tf.layers.Layer): Shape | undefined {
  const declared = (layer as unknown as { batchInputShape?: Shape }).batchInputShape;
  return declared ?? undefined;
}

/** The shape the layer actually receives in its model (first inbound connection), if single. */
function actualInputShape(layer: tf.layers.Layer): Shape | undefined {
  const nodes = (layer as unknown as { inboundNodes?: { inputShapes: Shape | Shape[] }[] }).inboundNodes;
  const shapes = nodes?.[0]?.inputShapes;
  if (!shapes) return undefined;
  if (Array.isArray(shapes[0])) return shapes.length === 1 ? (shapes[0] as Shape) : undefined;
  return shapes as Shape;
}

/**
 * Throws LayerHookupError when a layer (other than the first) was declared for
 * an input shape its actual input does not have.
 */
export function checkHookup(model: tf.LayersModel): void {
  model.layers.forEach((layer, index) => {
    if (index === 0 || layer.getClassName() === "InputLayer") return;
    const declared = declaredInputShape(layer);
    if (!declared) return;
    const actual = actualInputShape(layer);
    if (!actual) return;
    if (!sameFeatureShape(declared, actual)) throw new LayerHookupError(layer.name, declared, actual);
  });
}

/** Checks that images of `featureShape` (e.g. [28, 28, 1]) fit the model's input. */
export function checkInputShape(model: tf.LayersModel, featureShape: readonly number[]): void {
  const input = model.inputs[0].shape as Shape;
  const actual: Shape = [null, ...featureShape];
  if (!sameFeatureShape(input, actual)) {
    throw new LayerHookupError(model.layers[0]?.name ?? "input", input, actual, "the data does not fit the model's input");
  }
}

/** Checks that the model's last layer has one output per class. */
export function checkOutputClasses(model: tf.LayersModel, classes: number, dataName = "the data"): void {
  const output = model.outputs[0].shape as Shape;
  const units = output[output.length - 1];
  if (output.length !== 2 || units !== classes) {
    const last = model.layers[model.layers.length - 1];
    throw new Error(
      `Layer "${last.name}" outputs ${formatShape(output)} but ${dataName} has ${classes} classes: ` +
        `the head must output (None, ${classes}) (use replaceHead(model, ${classes}))`,
    );
  }
}
