/**
 * 3x3 stride-1 convolutions by Winograd's minimal filtering, F(m x m, 3 x 3)
 * (Lavin & Gray 2015): forward, input gradient and filter gradient. Each is
 * three steps: tile transforms in our wasm kernels (lib/native/winograd.c),
 * (m + 2)^2 independent XNNPACK matrix products, and a transform back. For
 * the seed's 32 -> 64 layer, F(4, 3) needs 3.4x fewer multiply-adds than the
 * direct convolution XNNPACK runs.
 *
 *   forward  y     = A^T [ (G g G^T) . (B^T d B) ] A            per tile
 *   dx       d-bar = B [ (G g G^T) . (A dy A^T) ] B^T           the forward's adjoint; tiles overlap and add up
 *   dW       g-bar = G^T [ sum over tiles (B^T d B) . (A dy A^T) ] G
 */
import * as tf from "@tensorflow/tfjs";
import { composed, type Info, type KernelScope } from "./scope.js";
import type { ConvGeometry } from "./conv-geometry.js";
import { addressOf, nativeKernels, type NativeKernels, type WinogradTransforms } from "../native.js";

export type WinogradTile = 2 | 4;

export const WINOGRAD_ENV = "MNIST_LAB_WINOGRAD";

/** MNIST_LAB_WINOGRAD=0 turns Winograd off (XNNPACK's direct convolutions then run, as in tfjs). */
export function winogradEnabled(): boolean {
  return process.env[WINOGRAD_ENV]?.trim() !== "0";
}

/** Whether Winograd applies: 3x3 filter, stride 1, no dilation, and enough channels for the products to pay. */
export function winogradApplies(g: ConvGeometry): boolean {
  return (
    g.filterHeight === 3 && g.filterWidth === 3 &&
    g.strideHeight === 1 && g.strideWidth === 1 &&
    g.dilationHeight === 1 && g.dilationWidth === 1 &&
    g.inChannels >= 8 && g.outChannels >= 8
  );
}

/**
 * For the filter gradient, our direct kernel (filter_grad.c) beats Winograd
 * when the products are small: measured 0.87 vs 1.68 ms for 8 -> 8 channels
 * on [32,28,28], 2.65 vs 3.66 for 32 -> 32 on [32,14,14], but 2.17 vs 3.13
 * for the seed's 32 -> 64 on [32,13,13].
 */
export function winogradPaysForFilterGradient(g: ConvGeometry): boolean {
  return g.inChannels * g.outChannels > 1024;
}

/** The tile size with fewer multiply-adds in the products (ties go to F(2, 3), the more accurate). */
export function chooseTile(g: ConvGeometry): WinogradTile {
  const cost = (m: number) => Math.ceil(g.outHeight / m) * Math.ceil(g.outWidth / m) * (m + 2) ** 2;
  return cost(4) < cost(2) ? 4 : 2;
}

/** t*t matrices (rows x cols) in one buffer, `stride` floats apart. */
interface Planes {
  data: Info;
  stride: number;
  rows: number;
  cols: number;
}

interface Image {
  n: number;
  h: number;
  w: number;
  c: number;
  top: number;
  left: number;
}

/** One Winograd computation: the tiling of the output and the scope's memory. */
class Winograd {
  readonly native: NativeKernels;
  readonly transforms: WinogradTransforms;
  readonly m: number;
  readonly t: number;
  readonly tilesH: number;
  readonly tilesW: number;
  readonly tiles: number;

  constructor(readonly s: KernelScope, readonly g: ConvGeometry, tile: WinogradTile) {
    this.native = nativeKernels(s.backend);
    this.transforms = this.native.winograd[tile];
    this.m = tile;
    this.t = tile + 2;
    this.tilesH = Math.ceil(g.outHeight / tile);
    this.tilesW = Math.ceil(g.outWidth / tile);
    this.tiles = g.batch * this.tilesH * this.tilesW;
  }

  address(info: Info): number {
    return addressOf(this.s.backend, info);
  }

  get input(): Image {
    const g = this.g;
    return { n: g.batch, h: g.inHeight, w: g.inWidth, c: g.inChannels, top: g.padTop, left: g.padLeft };
  }

  get output(): Image {
    const g = this.g;
    return { n: g.batch, h: g.outHeight, w: g.outWidth, c: g.outChannels, top: 0, left: 0 };
  }

  /** The filter as an image of one 3x3 tile with ci * co channels. */
  get filter(): Image {
    return { n: 1, h: 3, w: 3, c: this.g.inChannels * this.g.outChannels, top: 0, left: 0 };
  }

  /** Transformed tiles of `src` (an image, or the filter): t*t planes of [tiles][channels]. */
  gather(transform: "input" | "gradient" | "filter", src: Info, image: Image, tiles = this.tiles): Planes {
    const size = tiles * image.c;
    // A stride that is not a multiple of 4 KiB keeps the t*t store streams from colliding in the L1 cache.
    const stride = size + (size % 1024 === 0 ? 16 : 0);
    const data = this.s.empty([this.t * this.t * stride]);
    const [tilesH, tilesW] = tiles === 1 ? [1, 1] : [this.tilesH, this.tilesW];
    this.transforms[transform](this.address(src), this.address(data), stride, image.n, image.h, image.w, image.c, tilesH, tilesW, this.m, image.top, image.left);
    return { data, stride, rows: tiles, cols: image.c };
  }

  /** One product per component xi (XNNPACK or our C: see matmul.ts): a[xi] (or its transpose) times b[xi]. */
  products(a: Planes, b: Planes, transposeA: boolean): Info[] {
    const out: Info[] = [];
    for (let xi = 0; xi < this.t * this.t; xi++) {
      const left = this.s.view(a.data, xi * a.stride, [1, a.rows, a.cols]);
      const right = this.s.view(b.data, xi * b.stride, [1, b.rows, b.cols]);
      out.push(this.s.run(tf.BatchMatMul, { a: left, b: right }, { transposeA, transposeB: false }));
    }
    return out;
  }

  /** Transforms the products back into `dst` (an image, or the filter). */
  scatter(transform: "output" | "inputAdjoint" | "filterAdjoint", products: Info[], dst: Info, image: Image, accumulate: boolean): void {
    const table = this.address(this.s.int32(Int32Array.from(products, (p) => this.address(p))));
    const [tilesH, tilesW] = transform === "filterAdjoint" ? [1, 1] : [this.tilesH, this.tilesW];
    this.transforms[transform](table, this.address(dst), image.n, image.h, image.w, image.c, tilesH, tilesW, this.m, image.top, image.left, accumulate ? 1 : 0);
  }

  /** G g G^T: planes [ci][co]. */
  filterPlanes(filter: Info): Planes {
    const planes = this.gather("filter", filter, this.filter, 1);
    return { ...planes, rows: this.g.inChannels, cols: this.g.outChannels };
  }

  /** The filter planes transposed, [co][ci] each: the transform of the filter with its channels swapped. */
  transposedFilterPlanes(filter: Info): Planes {
    const swapped = this.s.run(tf.Transpose, { x: filter }, { perm: [0, 1, 3, 2] });
    const planes = this.gather("filter", swapped, this.filter, 1);
    return { ...planes, rows: this.g.outChannels, cols: this.g.inChannels };
  }
}

export function winogradConv2D(backend: tf.KernelBackend, x: Info, filter: Info, g: ConvGeometry, tile = chooseTile(g)): Info {
  return composed(backend, (s) => {
    const w = new Winograd(s, g, tile);
    const products = w.products(w.gather("input", x, w.input), w.filterPlanes(filter), false); // [1, tiles, co] each
    const y = s.empty([g.batch, g.outHeight, g.outWidth, g.outChannels]);
    w.scatter("output", products, y, w.output, false);
    return y;
  });
}

export function winogradBackpropInput(backend: tf.KernelBackend, dy: Info, filter: Info, g: ConvGeometry, tile = chooseTile(g)): Info {
  return composed(backend, (s) => {
    const w = new Winograd(s, g, tile);
    const products = w.products(w.gather("gradient", dy, w.output), w.transposedFilterPlanes(filter), false); // [1, tiles, ci] each
    const dx = s.empty([g.batch, g.inHeight, g.inWidth, g.inChannels]);
    w.native.fill(w.address(dx), g.batch * g.inHeight * g.inWidth * g.inChannels, 0);
    w.scatter("inputAdjoint", products, dx, w.input, true);
    return dx;
  });
}

export function winogradBackpropFilter(backend: tf.KernelBackend, x: Info, dy: Info, g: ConvGeometry, tile = chooseTile(g)): Info {
  return composed(backend, (s) => {
    const w = new Winograd(s, g, tile);
    // (A dy A^T)^T (B^T d B) per component, [co][ci]: ~2x faster than the [ci][co] order, where
    // XNNPACK would repack the larger gradient planes as its right operand.
    const products = w.products(w.gather("gradient", dy, w.output), w.gather("input", x, w.input), true);
    const transposed = s.empty([3, 3, g.outChannels, g.inChannels]);
    w.scatter("filterAdjoint", products, transposed, w.filter, false);
    return s.run(tf.Transpose, { x: transposed }, { perm: [0, 1, 3, 2] });
  });
}
