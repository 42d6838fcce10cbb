/**
 * Sum and Mean over leading axes (bias gradients: a conv layer's dy summed
 * over batch, rows and columns; batch-norm statistics) as one XNNPACK average
 * pooling over an [M,1] window (times M for a sum). wasm's Sum and Mean first
 * transpose the reduced axes last; this is ~6-10x faster (a product
 * ones[1,M] x x[M,C] is not: XNNPACK repacks x as weights).
 */
import * as tf from "@tensorflow/tfjs";
import { composed, type Info } from "./scope.js";

/**
 * XNNPACK's multi-pass average pooling (windows > 9) faults ("memory access out
 * of bounds") from 16384 channels on; 4096 is verified safe and covers biases.
 */
const MAX_POOLED_CHANNELS = 4096;

function leadingAxes(axis: number | number[], rank: number): number | undefined {
  const axes = tf.util.parseAxisParam(axis, [...Array(rank).keys()].map(() => 1)).sort((x, y) => x - y);
  const isPrefix = axes.every((a, i) => a === i);
  return isPrefix && axes.length > 0 && axes.length < rank ? axes.length : undefined;
}

export function sumOverLeadingAxes(original: tf.KernelFunc): tf.KernelFunc {
  return reduceOverLeadingAxes(original, "sum");
}

export function meanOverLeadingAxes(original: tf.KernelFunc): tf.KernelFunc {
  return reduceOverLeadingAxes(original, "mean");
}

function reduceOverLeadingAxes(original: tf.KernelFunc, reduction: "sum" | "mean"): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: Info };
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    const count = x.dtype === "float32" ? leadingAxes(axis, x.shape.length) : undefined;
    if (count === undefined) return original(args);
    const rows = x.shape.slice(0, count).reduce((p, d) => p * d, 1);
    const kept = x.shape.slice(count);
    const cols = kept.reduce((p, d) => p * d, 1);
    if (rows * cols === 0 || cols > MAX_POOLED_CHANNELS) return original(args);
    return composed(args.backend as tf.KernelBackend, (s) => {
      const mean = s.run(tf.AvgPool, { x: s.reshape(x, [1, rows, 1, cols]) }, {
        filterSize: [rows, 1],
        strides: [1, 1],
        pad: "valid",
        dimRoundingMode: undefined,
      });
      const result = reduction === "mean" ? mean : s.run(tf.Multiply, { a: mean, b: s.constant([1], new Float32Array([rows])) });
      return s.reshape(result, keepDims ? [...x.shape.slice(0, count).map(() => 1), ...kept] : kept);
    });
  };
}
