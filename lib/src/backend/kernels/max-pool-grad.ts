/**
 * MaxPoolGrad for wasm. When windows do not overlap (stride == window, the
 * case of maxPooling2d's defaults) the gradient is a masked broadcast of dy,
 * built from whole-tensor kernels: the window is laid out as two extra axes,
 * compared with the pooled output (by subtraction), and ties resolved to the first maximum in
 * row-major window order (as tfjs's cpu backend does) by ranking the matches
 * and keeping the best-ranked one with a max pool. Overlapping windows use
 * the backend's own (C++) implementation.
 */
import * as tf from "@tensorflow/tfjs";
import { composed, type Info } from "./scope.js";

export interface MaxPoolGradAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: "floor" | "round" | "ceil";
}

/** Whether the fast path applies: non-overlapping windows. */
export function windowsDoNotOverlap(input: Info, attrs: MaxPoolGradAttrs): boolean {
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  return info.strideHeight === info.filterHeight && info.strideWidth === info.filterWidth;
}

export function maxPoolGradNonOverlapping(backend: tf.KernelBackend, dy: Info, input: Info, output: Info, attrs: MaxPoolGradAttrs): Info {
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, filterHeight: kh, filterWidth: kw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const bottom = oh * kh - h - top;
  const right = ow * kw - w - left;
  return composed(backend, (s) => {
    // The pooled region, exactly oh*kh x ow*kw: padding never wins a max.
    const region = s.padOrCrop(input, [[0, 0], [top, bottom], [left, right], [0, 0]], -Infinity);
    const windows = s.reshape(region, [n, oh, kh, ow, kw, c]);
    const pooled = s.reshape(output, [n, oh, 1, ow, 1, c]);
    // Only XNNPACK's arithmetic is used: wasm's Equal broadcasts ~150x slower.
    // pooled - x >= 0, and exactly 0 where x is the window's maximum; Step maps that to
    // -1 at maxima and +1 elsewhere.
    const sign = s.run(tf.Step, { x: s.run(tf.Sub, { a: pooled, b: windows }) }, { alpha: -1 });
    // rank = +score at maxima (the first position in row-major order scores highest), -score elsewhere.
    const scores = new Float32Array(kh * kw);
    for (let i = 0; i < scores.length; i++) scores[i] = -(kh * kw - i);
    const rank = s.run(tf.Multiply, { a: sign, b: s.constant([1, 1, kh, 1, kw, 1], scores) });
    const best = s.run(tf.MaxPool, { x: s.reshape(rank, [n, oh * kh, ow * kw, c]) }, {
      filterSize: [kh, kw],
      strides: [kh, kw],
      pad: "valid",
      dimRoundingMode: undefined,
    });
    // Ranks are integers, so rank - (best - 0.5) > 0 only at the winning position.
    const threshold = s.run(tf.Sub, { a: s.reshape(best, [n, oh, 1, ow, 1, c]), b: s.constant([1], new Float32Array([0.5])) });
    const chosen = s.run(tf.Step, { x: s.run(tf.Sub, { a: rank, b: threshold }) }, { alpha: 0 });
    const grad = s.run(tf.Multiply, { a: chosen, b: s.reshape(dy, [n, oh, 1, ow, 1, c]) });
    const flat = s.reshape(grad, [n, oh * kh, ow * kw, c]);
    // Back to the input's extent: drop the padding, restore cropped rows as zeros.
    return s.padOrCrop(flat, [[0, 0], [-top, -bottom], [-left, -right], [0, 0]], 0);
  });
}

/**
 * Any window geometry (overlapping windows, padding). The backend's own
 * MaxPoolGrad is wrong when overlapping windows meet padding (tfjs 4.22:
 * 3x3/stride 2/'same' disagrees with cpu and with a brute-force reference),
 * so this composes whole-tensor kernels instead: for each window offset
 * (row-major, so the first maximum wins) take the strided view of the input,
 * mark where it equals the pooled output and no earlier offset has claimed
 * that output, and scatter dy there (zero-stuffed by the stride, shifted by
 * the offset). kh*kw passes of ~10 kernels each.
 */
export function maxPoolGradGeneral(backend: tf.KernelBackend, dy: Info, input: Info, output: Info, attrs: MaxPoolGradAttrs): Info {
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  // Extent (in padded coordinates) that holds every window, and the accumulator's extent.
  const neededH = (oh - 1) * sh + kh;
  const neededW = (ow - 1) * sw + kw;
  const accH = oh * sh + kh;
  const accW = ow * sw + kw;
  return composed(backend, (s) => {
    const padded = s.padOrCrop(input, [[0, 0], [top, neededH - h - top], [left, neededW - w - left], [0, 0]], -Infinity);
    const one = s.constant([1], new Float32Array([1]));
    let unclaimed = one;
    let acc: Info | undefined;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const view = s.run(tf.StridedSlice, { x: padded }, {
          begin: [0, i, j, 0],
          end: [n, i + (oh - 1) * sh + 1, j + (ow - 1) * sw + 1, c],
          strides: [1, sh, sw, 1],
          beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
        });
        // output - view is 0 exactly where view holds the maximum (Step avoids wasm's slow Equal).
        const notMax = s.run(tf.Step, { x: s.run(tf.Sub, { a: output, b: view }) }, { alpha: 0 });
        const isMax = s.run(tf.Sub, { a: one, b: notMax });
        const take = s.run(tf.Multiply, { a: isMax, b: unclaimed });
        unclaimed = s.run(tf.Sub, { a: unclaimed, b: take });
        let part = s.run(tf.Multiply, { a: take, b: dy });
        if (sh > 1 || sw > 1) {
          part = s.reshape(part, [n, oh, 1, ow, 1, c]);
          part = s.run(tf.PadV2, { x: part }, { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 });
          part = s.reshape(part, [n, oh * sh, ow * sw, c]);
        }
        const placed = s.run(tf.PadV2, { x: part }, {
          paddings: [[0, 0], [i, accH - i - oh * sh], [j, accW - j - ow * sw], [0, 0]],
          constantValue: 0,
        });
        acc = acc === undefined ? placed : s.run(tf.Add, { a: acc, b: placed });
      }
    }
    // Back to the input's extent: drop the padding; rows no window reaches get zeros.
    return s.padOrCrop(acc as Info, [[0, 0], [-top, h + top - accH], [-left, w + left - accW], [0, 0]], 0);
  });
}
