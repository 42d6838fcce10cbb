/**
 * Conv2DBackpropFilter for wasm (the backend has none) as one XNNPACK
 * convolution with batch and channels swapped:
 *   dW[kh,kw,ci,co] = sum_{n,oh,ow} x[n, oh*s + kh*d - pad, ..., ci] * dy[n,oh,ow,co]
 * is a convolution of x^T [ci,h,w,n] by dy^T [oh,ow,n,co] whose stride is the
 * forward dilation and whose dilation is the forward stride.
 */
import * as tf from "@tensorflow/tfjs";
import { composed, type Info } from "./scope.js";
import { convGeometry, type ConvGeometry, type ConvGradAttrs } from "./conv-geometry.js";

export interface BackpropFilterAttrs extends ConvGradAttrs {
  filterShape: [number, number, number, number];
  /** Not a tfjs attribute: forces one of the two methods (tests and benchmarks). */
  method?: BackpropFilterMethod;
}

/** "patches" when few input taps feed each output channel (a first layer: 3x3x1 taps vs 32 channels). */
export type BackpropFilterMethod = "auto" | "patches" | "swapped";

export function conv2dBackpropFilter(backend: tf.KernelBackend, x: Info, dy: Info, attrs: BackpropFilterAttrs): Info {
  const method = attrs.method ?? "auto";
  const g = convGeometry(x.shape as [number, number, number, number], attrs.filterShape, attrs);
  const taps = g.filterHeight * g.filterWidth * g.inChannels;
  const usePatches = method === "patches" || (method === "auto" && 2 * taps <= g.outChannels);
  return usePatches ? backpropFilterByPatches(backend, x, dy, attrs, g) : backpropFilterBySwappedConvolution(backend, x, dy, g);
}

function backpropFilterBySwappedConvolution(backend: tf.KernelBackend, x: Info, dy: Info, g: ConvGeometry): Info {
  return composed(backend, (s) => {
    // Rows/columns that the forward convolution touches: [-padTop, -padTop + needed).
    const neededH = (g.filterHeight - 1) * g.dilationHeight + (g.outHeight - 1) * g.strideHeight + 1;
    const neededW = (g.filterWidth - 1) * g.dilationWidth + (g.outWidth - 1) * g.strideWidth + 1;
    const bottom = neededH - g.inHeight - g.padTop;
    const right = neededW - g.inWidth - g.padLeft;
    let input = s.padOrCrop(x, [[0, 0], [Math.min(0, g.padTop), Math.min(0, bottom)], [Math.min(0, g.padLeft), Math.min(0, right)], [0, 0]]);
    const pad = [[0, 0], [Math.max(0, g.padTop), Math.max(0, bottom)], [Math.max(0, g.padLeft), Math.max(0, right)], [0, 0]];

    input = s.run(tf.Transpose, { x: input }, { perm: [3, 1, 2, 0] }); // [ci, h, w, n]
    const kernel = s.run(tf.Transpose, { x: dy }, { perm: [1, 2, 0, 3] }); // [oh, ow, n, co]
    const swapped = s.run(tf.Conv2D, { x: input, filter: kernel }, {
      strides: [g.dilationHeight, g.dilationWidth],
      pad,
      dataFormat: "NHWC",
      dilations: [g.strideHeight, g.strideWidth],
      dimRoundingMode: undefined,
    }); // [ci, kh, kw, co]
    return s.run(tf.Transpose, { x: swapped }, { perm: [1, 2, 0, 3] });
  });
}

/**
 * im2col by convolution: convolving x with a one-hot filter [kh,kw,ci,kh*kw*ci]
 * under the forward geometry yields every patch exactly (costs patches x taps
 * multiply-adds, cheap when taps are few); then dW = (dy^T patches)^T.
 */
function backpropFilterByPatches(backend: tf.KernelBackend, x: Info, dy: Info, attrs: BackpropFilterAttrs, g: ConvGeometry): Info {
  const [kh, kw, ci, co] = [g.filterHeight, g.filterWidth, g.inChannels, g.outChannels];
  const taps = kh * kw * ci;
  return composed(backend, (s) => {
    const oneHot = new Float32Array(taps * taps);
    for (let t = 0; t < taps; t++) oneHot[t * taps + t] = 1;
    const patches = s.run(tf.Conv2D, { x, filter: s.constant([kh, kw, ci, taps], oneHot) }, {
      strides: [g.strideHeight, g.strideWidth],
      // Explicit amounts: wasm's own 'same' (XNNPACK's flag) differs when stride and dilation are both > 1.
      pad: [[0, 0], [g.padTop, g.padBottom], [g.padLeft, g.padRight], [0, 0]],
      dataFormat: "NHWC",
      dilations: [g.dilationHeight, g.dilationWidth],
      dimRoundingMode: undefined,
    });
    const rows = g.batch * g.outHeight * g.outWidth;
    // (dy^T patches)^T rather than patches^T dy: XNNPACK repacks its right operand, and patches are the smaller one.
    const gradT = s.run(tf.BatchMatMul, { a: s.reshape(dy, [1, rows, co]), b: s.reshape(patches, [1, rows, taps]) }, {
      transposeA: true,
      transposeB: false,
    });
    const grad = s.run(tf.Transpose, { x: s.reshape(gradT, [co, taps]) }, { perm: [1, 0] });
    return s.reshape(grad, [kh, kw, ci, co]);
  });
}
