/**
 * Conv2D (and FusedConv2D with a bias and relu) by our direct kernel
 * (lib/native/conv_direct.c). It beats XNNPACK most where the reduction
 * (kh * kw * ci taps) is tiny, as in the seed CNN's first layer (x
 * [32,28,28,1], 3x3 to 32 channels): there XNNPACK's packed products run at
 * ~11 G multiply-adds/s, this kernel at ~22 G (no FMA in wasm SIMD: its
 * multiplies and adds saturate the FP ports).
 */
import * as tf from "@tensorflow/tfjs";
import { composed, type Info } from "./scope.js";
import { type ConvGeometry, extents } from "./conv-geometry.js";
import { addressOf, nativeKernels } from "../native.js";

/**
 * Taps (kh * kw * ci) up to which the direct kernel beats XNNPACK. Measured
 * in V8 on x64 (tfjs's default single thread; XNNPACK was slower still with
 * 2 threads on 2 cores), batch 32: 1.9-2.4x faster for 9-25 taps (the seed's
 * [32,28,28,1] 3x3 to 32 channels: 0.28 vs 0.55 ms), 1.2-1.5x for 16-150,
 * 1.1-1.25x from 256 to 576 (any of 16-256 output channels); from 1152 taps
 * it wins with 64-128 output channels (1.07-1.13x) but loses with 256
 * (x [32,8,8,256] 3x3 to 256, stride 2: 17.4 vs 13.5 ms).
 */
export const DIRECT_MAX_TAPS = 576;

/** Whether the direct kernel pays for this convolution. */
export function directConvPays(g: ConvGeometry): boolean {
  return g.filterHeight * g.filterWidth * g.inChannels <= DIRECT_MAX_TAPS;
}

export interface DirectEpilogue {
  /** [outChannels], added after the sum. */
  bias?: Info;
  relu?: boolean;
}

/**
 * y = act(conv(x, filter) + bias), NHWC, on x padded so that every tap of
 * every output position is inside it (no copy for a "valid" convolution).
 */
export function conv2dDirect(backend: tf.KernelBackend, x: Info, filter: Info, g: ConvGeometry, epilogue: DirectEpilogue = {}): Info {
  return composed(backend, (s) => {
    const native = nativeKernels(backend).raw;
    const at = (info: Info) => addressOf(backend, info);
    const { bottom, right } = extents(g);
    // Rows and columns past the needed ones are never read: no cropping.
    const input = s.padOrCrop(x, [[0, 0], [g.padTop, Math.max(0, bottom)], [g.padLeft, Math.max(0, right)], [0, 0]]);
    const [, hn, wn] = input.shape;
    const taps = g.filterHeight * g.filterWidth * g.inChannels;
    const co = g.outChannels;
    // The kernel loads whole vectors of weights and bias: pad channels to a multiple of 4 (a copy only then).
    const co4 = Math.ceil(co / 4) * 4;
    const widen = (t: Info, rows: number) => {
      if (co4 === co) return t;
      const wide = s.empty([rows, co4]);
      native["pad_nhwc"](at(t), at(wide), 1, rows, co, 1, rows, co4, 0, 0); // rows of co floats as an image [rows][co][1]
      return wide;
    };
    const w = widen(filter, taps);
    const bias = epilogue.bias ? widen(epilogue.bias, 1) : undefined;
    const y = s.empty([g.batch, g.outHeight, g.outWidth, co]);
    const positions = g.batch * g.outHeight * g.outWidth;
    const scratch = s.empty([positions + taps]); // the kernel's tables: a pointer per output position, an offset per tap
    native["conv_direct"](
      at(input), at(w), bias ? at(bias) : 0, at(y), at(scratch), g.batch, hn, wn, g.inChannels, g.outHeight, g.outWidth,
      co, co4, g.filterHeight, g.filterWidth, g.strideHeight, g.strideWidth, g.dilationHeight, g.dilationWidth,
      epilogue.relu ? 1 : 0,
    );
    return y;
  });
}
