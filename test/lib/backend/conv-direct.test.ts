/**
 * Conv2D and FusedConv2D by our direct wasm kernel (lib/native/conv_direct.c)
 * against tfjs's cpu backend: random shapes (batch 1-64, channels 1-64,
 * spatial 1-32, filters 1-5, within a compute budget for the cpu reference),
 * every stride / padding / dilation combination, output channels around each
 * register block and vector remainder, bias and relu, and the seed CNN's
 * first layer exactly; fresh non-zero data, relative error < 1e-4. The
 * kernel is forced through the `convMethod` attribute, called directly, and
 * reached by the default routing. No memory is left behind. Replay a
 * failure with MNIST_LAB_TEST_SEED=<seed>.
 */
import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { conv2dDirect, directConvPays } from "../../../lib/src/backend/kernels/conv2d-direct.js";
import { convGeometry } from "../../../lib/src/backend/kernels/conv-geometry.js";
import { SEED, int, makeRng, relativeError, runOn, values, useWasmKernels } from "./helpers.js";

const TOLERANCE = 1e-4;
const MAC_BUDGET = 4e6;

useWasmKernels("direct convolution");

type Pad = "same" | "valid" | number[][];

interface Case {
  x: number[];
  filter: number[];
  stride: number;
  dilation: number;
  pad: Pad;
}

function macs(c: Case): number {
  const info = tf.backend_util.computeConv2DInfo(c.x as never, c.filter as never, c.stride, c.dilation, c.pad as never);
  return c.x[0] * info.outHeight * info.outWidth * c.filter[0] * c.filter[1] * c.filter[2] * c.filter[3];
}

function draw(rng: () => number, stride: number, padding: "same" | "valid" | "explicit", dilation: number): Case {
  let [n, ci, co] = [int(rng, 1, 64), int(rng, 1, 64), int(rng, 1, 64)];
  const [kh, kw] = [int(rng, 1, 5), int(rng, 1, 5)];
  const pad: Pad = padding === "explicit" ? [[0, 0], [int(rng, 0, 2), int(rng, 0, 2)], [int(rng, 0, 2), int(rng, 0, 2)], [0, 0]] : padding;
  const extra = (axis: number) => (Array.isArray(pad) ? pad[axis][0] + pad[axis][1] : 0);
  const min = (k: number, axis: number) => (padding === "same" ? 1 : Math.max(1, (k - 1) * dilation + 1 - extra(axis)));
  const [h, w] = [int(rng, min(kh, 1), 32), int(rng, min(kw, 2), 32)];
  const make = (): Case => ({ x: [n, h, w, ci], filter: [kh, kw, ci, co], stride, dilation, pad });
  while (macs(make()) > MAC_BUDGET) {
    if (n >= ci && n >= co) n = Math.ceil(n / 2);
    else if (ci >= co) ci = Math.ceil(ci / 2);
    else co = Math.ceil(co / 2);
  }
  return make();
}

interface Fused {
  bias: boolean;
  activation: "linear" | "relu" | "relu6" | "elu";
}

/**
 * wasm vs cpu, as Conv2D or (when `fused` is given) FusedConv2D; `convMethod`
 * is our attribute ("direct" forces the kernel, undefined: default routing).
 */
async function agree(c: Case, rng: () => number, convMethod: string | undefined = "direct", fused?: Fused) {
  const co = c.filter[3];
  const inputs = {
    x: { shape: c.x, values: values(rng, c.x) },
    filter: { shape: c.filter, values: values(rng, c.filter) },
    ...(fused?.bias ? { bias: { shape: [co], values: values(rng, [co]) } } : {}),
  };
  const attrs = {
    strides: [c.stride, c.stride], pad: c.pad, dataFormat: "NHWC", dilations: [c.dilation, c.dilation], dimRoundingMode: undefined,
    ...(fused ? { activation: fused.activation, leakyreluAlpha: 0 } : {}),
  };
  const name = fused ? tf.FusedConv2D : tf.Conv2D;
  const expected = await runOn("cpu", { name, inputs, attrs });
  const actual = await runOn("wasm", { name, inputs, attrs: { ...attrs, ...(convMethod === undefined ? {} : { convMethod }) } });
  expect(actual.shape).toEqual(expected.shape);
  expect(relativeError(actual.values, expected.values)).toBeLessThan(TOLERANCE);
  return expected;
}

const combos: Array<[number, "same" | "valid" | "explicit", number]> = [];
for (const stride of [1, 2]) for (const padding of ["same", "valid", "explicit"] as const) for (const dilation of [1, 2]) combos.push([stride, padding, dilation]);

describe("Conv2D, direct wasm kernel, matches cpu", () => {
  const rng = makeRng(SEED + 21);

  it.each(combos)("stride %i, padding %s, dilation %i (4 random draws)", async (stride, padding, dilation) => {
    for (let k = 0; k < 4; k++) await agree(draw(rng, stride, padding, dilation), rng);
  });

  it("the seed CNN's first layer: x [32,28,28,1], 3x3 to 32 channels, stride 1, valid (default routing and forced)", async () => {
    const c: Case = { x: [32, 28, 28, 1], filter: [3, 3, 1, 32], stride: 1, dilation: 1, pad: "valid" };
    expect(directConvPays(convGeometry(c.x as never, c.filter as never, { strides: 1, pad: "valid" }))).toBe(true);
    await agree(c, rng, undefined);
    await agree(c, rng, "direct");
    await agree({ ...c, pad: "same" }, rng, undefined);
  });

  // Output channels 1-3 (one partial vector), 4-16 (each register block shape and remainder), 17-20, 33-35;
  // odd position counts leave a remainder after every position block (2, 4 or 8).
  it.each([1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 15, 16, 17, 18, 19, 20, 33, 35])("%i output channels", async (co) => {
    for (const [kh, kw, ci] of [[1, 1, 1], [1, 2, 1], [3, 1, 1], [2, 2, 1], [1, 1, 5], [2, 3, 1], [3, 3, 1], [2, 2, 3]])
      await agree({ x: [int(rng, 1, 4), int(rng, 3, 9), int(rng, 3, 9), ci], filter: [kh, kw, ci, co], stride: int(rng, 1, 2), dilation: 1, pad: "same" }, rng);
  });

  it("more output positions than one block (256), with padding, a stride and many taps", async () => {
    await agree({ x: [3, 31, 30, 2], filter: [3, 2, 2, 6], stride: 1, dilation: 1, pad: [[0, 0], [2, 0], [1, 2], [0, 0]] }, rng);
    await agree({ x: [9, 32, 32, 1], filter: [4, 4, 1, 10], stride: 2, dilation: 1, pad: "same" }, rng);
    await agree({ x: [2, 12, 12, 64], filter: [5, 5, 64, 7], stride: 1, dilation: 1, pad: "same" }, rng);
  });

  it("the default routing (no attribute) on few-tap shapes, which it sends to the direct kernel", async () => {
    for (const c of [
      { x: [4, 11, 13, 1], filter: [5, 5, 1, 16], stride: 1, dilation: 1, pad: "same" as Pad },
      { x: [4, 12, 12, 3], filter: [3, 3, 3, 6], stride: 2, dilation: 1, pad: "valid" as Pad },
      { x: [4, 9, 9, 30], filter: [1, 1, 30, 9], stride: 1, dilation: 1, pad: "valid" as Pad },
    ]) {
      expect(directConvPays(convGeometry(c.x as never, c.filter as never, { strides: c.stride, pad: c.pad as never }))).toBe(true);
      await agree(c, rng, undefined);
    }
  });

  it("routing rule: up to 576 taps (kh * kw * ci)", () => {
    const pays = (x: number[], f: number[]) => directConvPays(convGeometry(x as never, f as never, { strides: 1, pad: "same" }));
    expect(pays([1, 9, 9, 1], [3, 3, 1, 32])).toBe(true);
    expect(pays([1, 9, 9, 64], [3, 3, 64, 128])).toBe(true);
    expect(pays([1, 9, 9, 65], [3, 3, 65, 8])).toBe(false);
    expect(pays([1, 9, 9, 128], [3, 3, 128, 8])).toBe(false);
  });

  it("called directly (conv2dDirect), on a view-free 'valid' input and a padded one", async () => {
    await tf.setBackend("wasm");
    for (const pad of ["valid", "same"] as const) {
      const [xs, fs] = [[2, 7, 6, 3], [3, 2, 3, 5]];
      const xv = values(rng, xs), fv = values(rng, fs);
      const expected = await runOn("cpu", { name: tf.Conv2D, inputs: { x: { shape: xs, values: xv }, filter: { shape: fs, values: fv } }, attrs: { strides: 1, pad, dataFormat: "NHWC", dilations: 1 } });
      await tf.setBackend("wasm");
      const x = tf.tensor4d(xv, xs as never), filter = tf.tensor4d(fv, fs as never);
      const g = convGeometry(xs as never, fs as never, { strides: 1, pad });
      const info = conv2dDirect(tf.backend(), x, filter, g);
      const y = tf.engine().makeTensorFromTensorInfo(info);
      expect(y.shape).toEqual(expected.shape);
      expect(relativeError(y.dataSync(), expected.values)).toBeLessThan(TOLERANCE);
      tf.dispose([x, filter, y]);
    }
  });
});

describe("FusedConv2D, direct wasm kernel, matches cpu", () => {
  const rng = makeRng(SEED + 22);

  it.each([
    [true, "relu"], [true, "linear"], [false, "relu"], [false, "linear"],
  ] as const)("bias %s, activation %s (random draws, forced and default)", async (bias, activation) => {
    for (const [stride, padding, dilation] of [[1, "same", 1], [2, "valid", 1], [1, "explicit", 2]] as const) {
      const c = draw(rng, stride, padding, dilation);
      const expected = await agree(c, rng, "direct", { bias, activation });
      if (activation === "relu") expect(expected.values.some((v) => v === 0)).toBe(true); // relu did clip something
      await agree(c, rng, undefined, { bias, activation });
    }
  });

  it("inference on the seed CNN's first layer: x [1000,28,28,1] (some of it), bias and relu", async () => {
    await agree({ x: [100, 28, 28, 1], filter: [3, 3, 1, 32], stride: 1, dilation: 1, pad: "valid" }, rng, undefined, { bias: true, activation: "relu" });
  });

  it("other activations fall back to the backend's own kernel", async () => {
    for (const activation of ["relu6", "elu"] as const)
      await agree({ x: [2, 9, 9, 1], filter: [3, 3, 1, 8], stride: 1, dilation: 1, pad: "same" }, rng, "direct", { bias: true, activation });
  });
});

describe("direct convolution, memory", () => {
  it("repeated calls (valid, padded, partial channel vectors, fused) leave no tensor and no backend buffer behind", async () => {
    await tf.setBackend("wasm");
    const rng = makeRng(SEED + 23);
    const x = tf.tensor4d(values(rng, [32, 28, 28, 1]), [32, 28, 28, 1]);
    const f32 = tf.tensor4d(values(rng, [3, 3, 1, 32]), [3, 3, 1, 32]);
    const f5 = tf.tensor4d(values(rng, [3, 3, 1, 5]), [3, 3, 1, 5]);
    const b5 = tf.tensor1d(values(rng, [5]));
    const conv = (filter: tf.Tensor4D, pad: Pad, strides: number) =>
      (tf.engine().runKernel(tf.Conv2D, { x, filter }, { strides: [strides, strides], pad, dataFormat: "NHWC", dilations: 1, dimRoundingMode: undefined } as never) as tf.Tensor).dispose();
    const fused = () =>
      (tf.engine().runKernel(tf.FusedConv2D, { x, filter: f5, bias: b5 }, { strides: 1, pad: "same", dataFormat: "NHWC", dilations: 1, dimRoundingMode: undefined, activation: "relu", leakyreluAlpha: 0 } as never) as tf.Tensor).dispose();
    const round = () => {
      conv(f32, "valid", 1);
      conv(f5, "same", 2);
      fused();
    };
    round();
    const backendData = () => (tf.backend() as unknown as { dataIdMap: { numDataIds(): number } }).dataIdMap.numDataIds();
    const before = { ...tf.memory(), data: backendData() };
    for (let i = 0; i < 20; i++) round();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    expect(backendData()).toBe(before.data);
    tf.dispose([x, f32, f5, b5]);
  });
});
