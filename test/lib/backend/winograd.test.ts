/**
 * Winograd convolutions on wasm (3x3, stride 1, >= 8 channels: forward,
 * input gradient, filter gradient) against tfjs's cpu backend, both tile
 * sizes forced, random shapes (batch 1-64, channels 8-64, spatial 1-32,
 * same / valid / explicit padding), fresh non-zero data: relative error
 * < 1e-4. Replay a failure with MNIST_LAB_TEST_SEED=<seed>.
 */
import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { convGeometry } from "../../../lib/src/backend/kernels/conv-geometry.js";
import { chooseTile, winogradApplies } from "../../../lib/src/backend/kernels/winograd.js";
import { SEED, int, makeRng, relativeError, runOn, values, type KernelRun, useWasmKernels } from "./helpers.js";

const TOLERANCE = 1e-4;
const MAC_BUDGET = 4e6;

useWasmKernels("winograd");

type Pad = "same" | "valid" | number[][];

interface Case {
  x: number[];
  filter: number[];
  dy: number[];
  pad: Pad;
}

function draw(rng: () => number, padding: "same" | "valid" | "explicit"): Case {
  let [n, ci, co] = [int(rng, 1, 64), int(rng, 8, 64), int(rng, 8, 64)];
  const pad: Pad = padding === "explicit" ? [[0, 0], [int(rng, 0, 2), int(rng, 0, 2)], [int(rng, 0, 2), int(rng, 0, 2)], [0, 0]] : padding;
  const extra = (axis: number) => (Array.isArray(pad) ? pad[axis][0] + pad[axis][1] : padding === "same" ? 2 : 0);
  const [h, w] = [int(rng, Math.max(1, 3 - extra(1)), 32), int(rng, Math.max(1, 3 - extra(2)), 32)];
  const info = () => tf.backend_util.computeConv2DInfo([n, h, w, ci], [3, 3, ci, co], 1, 1, pad as never);
  while (n * info().outHeight * info().outWidth * 9 * ci * co > MAC_BUDGET) {
    if (n >= ci && n >= co) n = Math.ceil(n / 2);
    else if (ci >= co) ci = Math.max(8, Math.ceil(ci / 2));
    else co = Math.max(8, Math.ceil(co / 2));
  }
  const i = info();
  return { x: [n, h, w, ci], filter: [3, 3, ci, co], dy: [n, i.outHeight, i.outWidth, co], pad };
}

async function agree(run: KernelRun) {
  const reference = { ...run, attrs: { ...run.attrs, winogradTile: undefined } };
  const expected = await runOn("cpu", reference);
  const actual = await runOn("wasm", run);
  expect(actual.shape).toEqual(expected.shape);
  expect(relativeError(actual.values, expected.values)).toBeLessThan(TOLERANCE);
}

async function checkAll(c: Case, rng: () => number, tile: 2 | 4) {
  const g = convGeometry(c.x as never, c.filter as never, { strides: 1, pad: c.pad as never });
  expect(winogradApplies(g)).toBe(true);
  const [x, filter, dy] = [values(rng, c.x), values(rng, c.filter), values(rng, c.dy)];
  const attrs = { strides: [1, 1], pad: c.pad, dataFormat: "NHWC", dilations: [1, 1], dimRoundingMode: undefined, winogradTile: tile };
  await agree({ name: tf.Conv2D, inputs: { x: { shape: c.x, values: x }, filter: { shape: c.filter, values: filter } }, attrs });
  await agree({ name: tf.Conv2DBackpropInput, inputs: { dy: { shape: c.dy, values: dy }, filter: { shape: c.filter, values: filter } }, attrs: { ...attrs, inputShape: c.x } });
  await agree({ name: tf.Conv2DBackpropFilter, inputs: { x: { shape: c.x, values: x }, dy: { shape: c.dy, values: dy } }, attrs: { ...attrs, filterShape: c.filter } });
}

describe.each([2, 4] as const)("Winograd F(%i x %i, 3 x 3) on wasm matches cpu", (tile) => {
  const rng = makeRng(SEED + 10 + tile);
  it.each(["same", "valid", "explicit"] as const)("forward, dx and dW, padding %s (3 random shapes)", async (padding) => {
    for (let k = 0; k < 3; k++) await checkAll(draw(rng, padding), rng, tile);
  });
  it("the seed's second layer: [32,13,13,32] -> 64, valid", async () => {
    await checkAll({ x: [32, 13, 13, 32], filter: [3, 3, 32, 64], dy: [32, 11, 11, 64], pad: "valid" }, rng, tile);
  });
});

describe("Winograd's scope", () => {
  const geometry = (x: number[], filter: number[], strides = 1, dilations = 1) =>
    convGeometry(x as never, filter as never, { strides, pad: "valid", dilations });
  it("applies to 3x3 stride-1 undilated filters with >= 8 channels each way, and nothing else", () => {
    expect(winogradApplies(geometry([1, 9, 9, 8], [3, 3, 8, 8]))).toBe(true);
    expect(winogradApplies(geometry([1, 9, 9, 8], [3, 3, 8, 8], 2))).toBe(false);
    expect(winogradApplies(geometry([1, 9, 9, 8], [3, 3, 8, 8], 1, 2))).toBe(false);
    expect(winogradApplies(geometry([1, 9, 9, 1], [3, 3, 1, 32]))).toBe(false);
    expect(winogradApplies(geometry([1, 9, 9, 8], [5, 5, 8, 8]))).toBe(false);
  });
  it("picks the tile with fewer multiply-adds: 4x4 for the seed's 11x11 output, 2x2 for a 5x5 one", () => {
    expect(chooseTile(geometry([32, 13, 13, 32], [3, 3, 32, 64]))).toBe(4);
    expect(chooseTile(geometry([32, 7, 7, 64], [3, 3, 64, 64]))).toBe(2);
  });
  it("frees every temporary: tensors, bytes and backend entries unchanged after 20 forward and backward passes", async () => {
    await tf.setBackend("wasm");
    const x = tf.randomNormal<tf.Rank.R4>([4, 12, 12, 16]);
    const filter = tf.randomNormal<tf.Rank.R4>([3, 3, 16, 24]);
    const loss = (f: tf.Tensor) => tf.conv2d(x, f as tf.Tensor4D, 1, "same").square().sum();
    const step = () => tf.tidy(() => tf.grad(loss)(filter)).dispose();
    step(); // warm-up (kernel caches)
    const backendData = () => (tf.backend() as unknown as { dataIdMap: { numDataIds(): number } }).dataIdMap.numDataIds();
    const before = { ...tf.memory(), data: backendData() };
    for (let i = 0; i < 20; i++) step();
    const after = { ...tf.memory(), data: backendData() };
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    expect(after.data).toBe(before.data); // views and scratch unregistered from the backend too
    x.dispose();
    filter.dispose();
  });
});
