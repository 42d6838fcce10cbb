/**
 * Conv2DBackpropFilter by our direct wasm kernel (lib/native/filter_grad.c)
 * against tfjs's cpu backend: random shapes (batch 1-64, channels 1-64,
 * spatial 1-32, filters 1-4, within a compute budget for the cpu reference),
 * every stride / padding / dilation combination, output channels around
 * each register-block and vector remainder, and the seed CNN's first layer
 * exactly; fresh non-zero data, relative error < 1e-4. No memory is left
 * behind. Replay a failure with MNIST_LAB_TEST_SEED=<seed>.
 */
import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { SEED, int, makeRng, relativeError, runOn, values, useWasmKernels } from "./helpers.js";

const TOLERANCE = 1e-4;
const MAC_BUDGET = 4e6;

useWasmKernels("filter gradient");

type Pad = "same" | "valid" | number[][];

interface Case {
  x: number[];
  filter: number[];
  dy: number[];
  stride: number;
  dilation: number;
  pad: Pad;
}

function makeCase(x: number[], filter: number[], stride: number, dilation: number, pad: Pad): Case {
  const info = tf.backend_util.computeConv2DInfo(x as never, filter as never, stride, dilation, pad as never);
  return { x, filter, stride, dilation, pad, dy: [x[0], info.outHeight, info.outWidth, filter[3]] };
}

function draw(rng: () => number, stride: number, padding: "same" | "valid" | "explicit", dilation: number): Case {
  let [n, ci, co] = [int(rng, 1, 64), int(rng, 1, 64), int(rng, 1, 64)];
  const [kh, kw] = [int(rng, 1, 4), int(rng, 1, 4)];
  const pad: Pad = padding === "explicit" ? [[0, 0], [int(rng, 0, 2), int(rng, 0, 2)], [int(rng, 0, 2), int(rng, 0, 2)], [0, 0]] : padding;
  const extra = (axis: number) => (Array.isArray(pad) ? pad[axis][0] + pad[axis][1] : 0);
  const min = (k: number, axis: number) => (padding === "same" ? 1 : Math.max(1, (k - 1) * dilation + 1 - extra(axis)));
  const [h, w] = [int(rng, min(kh, 1), 32), int(rng, min(kw, 2), 32)];
  let c = makeCase([n, h, w, ci], [kh, kw, ci, co], stride, dilation, pad);
  while (c.dy[0] * c.dy[1] * c.dy[2] * kh * kw * ci * co > MAC_BUDGET) {
    if (n >= ci && n >= co) n = Math.ceil(n / 2);
    else if (ci >= co) ci = Math.ceil(ci / 2);
    else co = Math.ceil(co / 2);
    c = makeCase([n, h, w, ci], [kh, kw, ci, co], stride, dilation, pad);
  }
  return c;
}

/**
 * wasm (method forced, or the default when undefined) vs cpu. tfjs's cpu
 * gradient takes no dilation: it gets the dilated filter's shape (zeros
 * between taps) and we compare the taps only.
 */
async function agree(c: Case, rng: () => number, method: string | undefined = "direct") {
  const [kh, kw, ci, co] = c.filter;
  const d = c.dilation;
  const [dkh, dkw] = [(kh - 1) * d + 1, (kw - 1) * d + 1];
  const inputs = { x: { shape: c.x, values: values(rng, c.x) }, dy: { shape: c.dy, values: values(rng, c.dy) } };
  const attrs = { strides: [c.stride, c.stride], pad: c.pad, dataFormat: "NHWC", dimRoundingMode: undefined };
  const expected = await runOn("cpu", { name: tf.Conv2DBackpropFilter, inputs, attrs: { ...attrs, filterShape: [dkh, dkw, ci, co] } });
  const actual = await runOn("wasm", {
    name: tf.Conv2DBackpropFilter,
    inputs,
    attrs: { ...attrs, filterShape: c.filter, dilations: [d, d], ...(method === undefined ? {} : { method }) },
  });
  const taps = new Float32Array(kh * kw * ci * co);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++) {
      const from = (i * d * dkw + j * d) * ci * co;
      taps.set(expected.values.subarray(from, from + ci * co), (i * kw + j) * ci * co);
    }
  expect(actual.shape).toEqual(c.filter);
  expect(relativeError(actual.values, taps)).toBeLessThan(TOLERANCE);
}

const combos: Array<[number, "same" | "valid" | "explicit", number]> = [];
for (const stride of [1, 2]) for (const padding of ["same", "valid", "explicit"] as const) for (const dilation of [1, 2]) combos.push([stride, padding, dilation]);

describe("Conv2DBackpropFilter, direct wasm kernel, matches cpu", () => {
  const rng = makeRng(SEED + 11);

  it.each(combos)("stride %i, padding %s, dilation %i (3 random draws)", async (stride, padding, dilation) => {
    for (let k = 0; k < 3; k++) await agree(draw(rng, stride, padding, dilation), rng);
  });

  it("the seed CNN's first layer: x [32,28,28,1], 3x3 to 32 channels, stride 1, valid (default method and 'patches')", async () => {
    const c = makeCase([32, 28, 28, 1], [3, 3, 1, 32], 1, 1, "valid");
    expect(c.dy).toEqual([32, 26, 26, 32]);
    await agree(c, rng, undefined);
    await agree(c, rng, "patches");
  });

  // Output channels 1-3 (one partial vector), 4-16 (each register block shape and remainder), 17-20 and 33-35;
  // taps (kh * kw * ci) from 1 to 12 cover each tap-block remainder.
  it.each([1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 15, 16, 17, 18, 19, 20, 33, 35])("%i output channels", async (co) => {
    for (const [kh, kw, ci] of [[1, 1, 1], [1, 2, 1], [3, 1, 1], [2, 2, 1], [1, 1, 5], [2, 3, 1], [3, 3, 1], [2, 2, 3]])
      await agree(makeCase([int(rng, 1, 4), int(rng, 3, 9), int(rng, 3, 9), ci], [kh, kw, ci, co], int(rng, 1, 2), 1, "same"), rng);
  });

  it("more output positions than one block (512), with padding and a stride", async () => {
    await agree(makeCase([3, 31, 30, 2], [3, 2, 2, 6], 1, 1, [[0, 0], [2, 0], [1, 2], [0, 0]]), rng);
    await agree(makeCase([9, 32, 32, 1], [4, 4, 1, 10], 2, 1, "same"), rng);
  });
});

describe("Conv2DBackpropFilter, direct wasm kernel, memory", () => {
  it("repeated calls (valid and padded) leave no tensor and no backend buffer behind", async () => {
    await tf.setBackend("wasm");
    const rng = makeRng(SEED + 12);
    const run = (x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: number[], pad: Pad, strides: number) =>
      (tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides: [strides, strides], pad, dataFormat: "NHWC", dimRoundingMode: undefined, filterShape } as never) as tf.Tensor).dispose();
    const x = tf.tensor4d(values(rng, [32, 28, 28, 1]), [32, 28, 28, 1]);
    const dyValid = tf.tensor4d(values(rng, [32, 26, 26, 32]), [32, 26, 26, 32]);
    const dySame = tf.tensor4d(values(rng, [32, 14, 14, 5]), [32, 14, 14, 5]);
    run(x, dyValid, [3, 3, 1, 32], "valid", 1);
    run(x, dySame, [3, 3, 1, 5], "same", 2);
    const memory = tf.memory();
    const dataIds = tf.backend().numDataIds();
    for (let i = 0; i < 20; i++) {
      run(x, dyValid, [3, 3, 1, 32], "valid", 1);
      run(x, dySame, [3, 3, 1, 5], "same", 2);
    }
    expect(tf.memory().numTensors).toBe(memory.numTensors);
    expect(tf.memory().numBytes).toBe(memory.numBytes);
    expect(tf.backend().numDataIds()).toBe(dataIds);
    tf.dispose([x, dyValid, dySame]);
  });
});
