/**
 * Depthwise convolution gradients for wasm (the backend has neither), from
 * XNNPACK's depthwise convolution, transposes and one batched product.
 * Filter [kh, kw, c, m] (m = channel multiplier); output channel c*m + j.
 */
import * as tf from "@tensorflow/tfjs";
import { composed, type Info, type KernelScope } from "./scope.js";
import type { ConvGradAttrs } from "./conv-geometry.js";

export interface DepthwiseInputAttrs extends ConvGradAttrs {
  inputShape: [number, number, number, number];
}

export interface DepthwiseFilterAttrs extends ConvGradAttrs {
  filterShape: [number, number, number, number];
}

function geometry(inShape: number[], filterShape: number[], attrs: ConvGradAttrs) {
  return tf.backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
    "channelsLast",
  );
}

function depthwise(s: KernelScope, x: Info, filter: Info, strides: number[], dilations: number[], pad: number[][]): Info {
  return s.run(tf.DepthwiseConv2dNative, { x, filter }, { strides, dilations, pad, dataFormat: "NHWC", dimRoundingMode: undefined });
}

/**
 * dx = depthwise convolution of dy (stride-stuffed, padded) with the flipped
 * filter seen as [kh, kw, c*m, 1], then summed over the m copies of each channel.
 */
export function depthwiseBackpropInput(backend: tf.KernelBackend, dy: Info, filter: Info, attrs: DepthwiseInputAttrs): Info {
  const g = geometry(attrs.inputShape, filter.shape, attrs);
  const [kh, kw, c, m] = filter.shape;
  return composed(backend, (s) => {
    let grad = dy;
    const [sh, sw] = [g.strideHeight, g.strideWidth];
    if (sh > 1 || sw > 1) {
      grad = s.reshape(dy, [g.batchSize, g.outHeight, 1, g.outWidth, 1, c * m]);
      grad = s.run(tf.PadV2, { x: grad }, { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 });
      grad = s.reshape(grad, [g.batchSize, g.outHeight * sh, g.outWidth * sw, c * m]);
    }
    const effH = (kh - 1) * g.dilationHeight + 1;
    const effW = (kw - 1) * g.dilationWidth + 1;
    const top = effH - 1 - g.padInfo.top;
    const left = effW - 1 - g.padInfo.left;
    const bottom = g.inHeight + effH - 1 - top - grad.shape[1];
    const right = g.inWidth + effW - 1 - left - grad.shape[2];
    grad = s.padOrCrop(grad, [[0, 0], [Math.min(0, top), Math.min(0, bottom)], [Math.min(0, left), Math.min(0, right)], [0, 0]]);
    const pad = [[0, 0], [Math.max(0, top), Math.max(0, bottom)], [Math.max(0, left), Math.max(0, right)], [0, 0]];
    // Flip spatially: reverse the flattened (kh, kw) index with an exact anti-identity product.
    const taps = kh * kw;
    const anti = new Float32Array(taps * taps);
    for (let i = 0; i < taps; i++) anti[i * taps + (taps - 1 - i)] = 1;
    const flipped = s.run(tf.BatchMatMul, { a: s.constant([1, taps, taps], anti), b: s.reshape(filter, [1, taps, c * m]) }, { transposeA: false, transposeB: false });
    const out = depthwise(s, grad, s.reshape(flipped, [kh, kw, c * m, 1]), [1, 1], [g.dilationHeight, g.dilationWidth], pad);
    if (m === 1) return out;
    const shape = [g.batchSize, g.inHeight, g.inWidth, c];
    return s.reshape(s.run(tf.Sum, { x: s.reshape(out, [...shape, m]) }, { axis: [4], keepDims: false }), shape);
  });
}

/**
 * Patches by a depthwise convolution with a one-hot filter [kh, kw, c, kh*kw]
 * (cheap: taps per channel), then per channel dW[:, c, :] = patches_c^T dy_c
 * as one batched product over channels.
 */
export function depthwiseBackpropFilter(backend: tf.KernelBackend, x: Info, dy: Info, attrs: DepthwiseFilterAttrs): Info {
  const g = geometry(x.shape, attrs.filterShape, attrs);
  const [kh, kw, c, m] = attrs.filterShape;
  const taps = kh * kw;
  const rows = g.batchSize * g.outHeight * g.outWidth;
  return composed(backend, (s) => {
    const oneHot = new Float32Array(taps * c * taps);
    for (let t = 0; t < taps; t++) for (let ch = 0; ch < c; ch++) oneHot[(t * c + ch) * taps + t] = 1;
    const explicit = [[0, 0], [g.padInfo.top, g.padInfo.bottom], [g.padInfo.left, g.padInfo.right], [0, 0]];
    const patches = depthwise(s, x, s.constant([kh, kw, c, taps], oneHot), [g.strideHeight, g.strideWidth], [g.dilationHeight, g.dilationWidth], explicit);
    const a = s.run(tf.Transpose, { x: s.reshape(patches, [rows, c, taps]) }, { perm: [1, 2, 0] }); // [c, taps, rows]
    const b = s.run(tf.Transpose, { x: s.reshape(dy, [rows, c, m]) }, { perm: [1, 0, 2] }); // [c, rows, m]
    const perChannel = s.run(tf.BatchMatMul, { a, b }, { transposeA: false, transposeB: false }); // [c, taps, m]
    const grad = s.run(tf.Transpose, { x: perChannel }, { perm: [1, 0, 2] });
    return s.reshape(grad, [kh, kw, c, m]);
  });
}
