/**
 * Conv2DBackpropInput for wasm as one XNNPACK convolution: the gradient with
 * respect to the input is the convolution of dy (zero-stuffed by the stride,
 * padded so every input pixel sees the whole filter) with the spatially
 * flipped filter whose in/out channels are swapped.
 */
import * as tf from "@tensorflow/tfjs";
import { composed, type Info, type KernelScope } from "./scope.js";
import { convGeometry, type ConvGradAttrs } from "./conv-geometry.js";

export interface BackpropInputAttrs extends ConvGradAttrs {
  inputShape: [number, number, number, number];
}

export function conv2dBackpropInput(backend: tf.KernelBackend, dy: Info, filter: Info, attrs: BackpropInputAttrs): Info {
  const g = convGeometry(attrs.inputShape, filter.shape as [number, number, number, number], attrs);
  return composed(backend, (s) => {
    // Zero-stuff dy: each row/column is followed by stride-1 zeros.
    let grad = dy;
    if (g.strideHeight > 1 || g.strideWidth > 1) {
      const [sh, sw] = [g.strideHeight, g.strideWidth];
      grad = s.reshape(dy, [g.batch, g.outHeight, 1, g.outWidth, 1, g.outChannels]);
      grad = s.run(tf.PadV2, { x: grad }, {
        paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]],
        constantValue: 0,
      });
      grad = s.reshape(grad, [g.batch, g.outHeight * sh, g.outWidth * sw, g.outChannels]);
    }
    // Pad so that a valid convolution with the (dilated) filter yields inHeight x inWidth.
    const effH = (g.filterHeight - 1) * g.dilationHeight + 1;
    const effW = (g.filterWidth - 1) * g.dilationWidth + 1;
    const top = effH - 1 - g.padTop;
    const left = effW - 1 - g.padLeft;
    const bottom = g.inHeight + effH - 1 - top - grad.shape[1];
    const right = g.inWidth + effW - 1 - left - grad.shape[2];
    // Negative amounts crop; positive ones become the convolution's own padding.
    grad = s.padOrCrop(grad, [[0, 0], [Math.min(0, top), Math.min(0, bottom)], [Math.min(0, left), Math.min(0, right)], [0, 0]]);
    const pad = [[0, 0], [Math.max(0, top), Math.max(0, bottom)], [Math.max(0, left), Math.max(0, right)], [0, 0]];

    const swapped = s.run(tf.Transpose, { x: flipSpatially(s, filter) }, { perm: [0, 1, 3, 2] });
    return s.run(tf.Conv2D, { x: grad, filter: swapped }, {
      strides: [1, 1],
      pad,
      dataFormat: "NHWC",
      dilations: [g.dilationHeight, g.dilationWidth],
      dimRoundingMode: undefined,
    });
  });
}

/**
 * filter[kh, kw] -> filter[KH-1-kh, KW-1-kw]: reversing both spatial axes
 * reverses their flattened index, done as an exact product with the anti-
 * identity (XNNPACK), because wasm's Reverse (and Gather) take ~0.5 ms even
 * for a 3x3x32x64 filter.
 */
function flipSpatially(s: KernelScope, filter: Info): Info {
  const [kh, kw, ci, co] = filter.shape;
  const taps = kh * kw;
  const antiIdentity = new Float32Array(taps * taps);
  for (let i = 0; i < taps; i++) antiIdentity[i * taps + (taps - 1 - i)] = 1;
  const flipped = s.run(tf.BatchMatMul, { a: s.constant([1, taps, taps], antiIdentity), b: s.reshape(filter, [1, taps, ci * co]) }, {
    transposeA: false,
    transposeB: false,
  });
  return s.reshape(flipped, [kh, kw, ci, co]);
}
