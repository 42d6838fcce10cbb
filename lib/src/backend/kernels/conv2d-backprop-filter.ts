/**
 * Conv2DBackpropFilter for wasm (the backend has none):
 *   dW[kh,kw,ci,co] = sum_{n,oh,ow} x[n, oh*s + kh*d - pad, ..., ci] * dy[n,oh,ow,co]
 * by our direct kernel (lib/native/filter_grad.c), or as one XNNPACK
 * convolution with batch and channels swapped: a convolution of x^T
 * [ci,h,w,n] by dy^T [oh,ow,n,co] whose stride is the forward dilation and
 * whose dilation is the forward stride.
 */
import * as tf from "@tensorflow/tfjs";
import { composed, type Info } from "./scope.js";
import { convGeometry, type ConvGeometry, type ConvGradAttrs, extents } from "./conv-geometry.js";
import { addressOf, nativeKernels } from "../native.js";

export interface BackpropFilterAttrs extends ConvGradAttrs {
  filterShape: [number, number, number, number];
  /** Not a tfjs attribute: forces a method (tests and benchmarks). */
  method?: BackpropFilterMethod;
}

/**
 * "auto" is "direct": it beat "swapped" on every shape measured but a few
 * deep valid layers with small outputs (e.g. x [32,5,5,256], 3x3 to 256
 * channels: 8.3 vs 5.5 ms), and by 2-10x on the first layers this library
 * trains (x [32,28,28,1], 3x3 to 32 channels: 0.25 vs 2.3 ms).
 * "patches" is the former name of "direct" (it was im2col + a product).
 */
export type BackpropFilterMethod = "auto" | "direct" | "patches" | "swapped";

export function conv2dBackpropFilter(backend: tf.KernelBackend, x: Info, dy: Info, attrs: BackpropFilterAttrs): Info {
  const method = attrs.method ?? "auto";
  const g = convGeometry(x.shape as [number, number, number, number], attrs.filterShape, attrs);
  return method === "swapped" ? backpropFilterBySwappedConvolution(backend, x, dy, g) : backpropFilterDirect(backend, x, dy, g);
}

/**
 * Our direct kernel, on x padded so that every tap of every output position
 * is inside it (no copy for a "valid" convolution).
 */
function backpropFilterDirect(backend: tf.KernelBackend, x: Info, dy: Info, g: ConvGeometry): Info {
  return composed(backend, (s) => {
    const { bottom, right } = extents(g);
    // Rows and columns past the needed ones are never read: no cropping.
    const input = s.padOrCrop(x, [[0, 0], [g.padTop, Math.max(0, bottom)], [g.padLeft, Math.max(0, right)], [0, 0]]);
    const [, hn, wn] = input.shape;
    const dW = s.empty([g.filterHeight, g.filterWidth, g.inChannels, g.outChannels]);
    const positions = s.empty([g.batch * g.outHeight * g.outWidth]); // the kernel's scratch: a pointer per output position
    const at = (info: Info) => addressOf(backend, info);
    nativeKernels(backend).raw["filter_grad"](
      at(input), at(dy), at(dW), at(positions), g.batch, hn, wn, g.inChannels, g.outHeight, g.outWidth, g.outChannels,
      g.filterHeight, g.filterWidth, g.strideHeight, g.strideWidth, g.dilationHeight, g.dilationWidth,
    );
    return dW;
  });
}

function backpropFilterBySwappedConvolution(backend: tf.KernelBackend, x: Info, dy: Info, g: ConvGeometry): Info {
  return composed(backend, (s) => {
    const { bottom, right } = extents(g);
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
