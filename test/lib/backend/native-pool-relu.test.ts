/**
 * Our C kernels for MaxPoolGrad (lib/native/max_pool_grad.c) and relu's
 * gradient (lib/native/relu_grad.c) on wasm against tfjs's cpu backend:
 * random shapes (batch 1-64, channel counts with every remainder mod 8),
 * fresh non-zero data or many ties, relative error < 1e-4; special values
 * (-inf windows, zeros, NaN, infinite dy) exactly; no tensors or buffers
 * left behind. Replay a failure with MNIST_LAB_TEST_SEED=<seed>.
 */
import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { RELU_GRAD } from "../../../lib/src/backend/kernels/gradients.js";
import { SEED, int, makeRng, relativeError, runOn, values, useWasmKernels } from "./helpers.js";

const TOLERANCE = 1e-4;

useWasmKernels("native pool/relu");

type Pad = "same" | "valid" | number[][];

interface PoolCase {
  shape: number[];
  input: Float32Array;
  attrs: { filterSize: [number, number]; strides: [number, number]; pad: Pad; dimRoundingMode: undefined };
}

/** A pooling problem; `remainder` (1-8) fixes channels mod 8, so 1-3 leftover lanes and the 4-lane path all run. */
function drawPool(rng: () => number, size: number, stride: number, pad: "same" | "valid" | "explicit", ties: boolean, remainder: number): PoolCase {
  const padding: Pad = pad === "explicit" ? [[0, 0], [int(rng, 0, size - 1), int(rng, 0, size - 1)], [int(rng, 0, size - 1), int(rng, 0, size - 1)], [0, 0]] : pad;
  let [n, c] = [int(rng, 1, 64), 8 * int(rng, 0, 7) + remainder];
  const [h, w] = [int(rng, size, 32), int(rng, size, 32)];
  while (n * c * h * w > 3e5 && n > 1) n = Math.ceil(n / 2);
  const shape = [n, h, w, c];
  // Ties: small integers, many equal values per window (as after a relu).
  const input = ties ? values(rng, shape).map((v) => Math.max(0, Math.round(v * 2))) : values(rng, shape);
  return { shape, input, attrs: { filterSize: [size, size], strides: [stride, stride], pad: padding, dimRoundingMode: undefined } };
}

async function poolGrads(c: PoolCase, rng: () => number): Promise<{ expected: Float32Array; actual: Float32Array }> {
  const output = await runOn("cpu", { name: tf.MaxPool, inputs: { x: { shape: c.shape, values: c.input } }, attrs: c.attrs });
  const dy = values(rng, output.shape);
  const run = {
    name: tf.MaxPoolGrad,
    inputs: { dy: { shape: output.shape, values: dy }, input: { shape: c.shape, values: c.input }, output: { shape: output.shape, values: output.values } },
    attrs: c.attrs,
  };
  const expected = (await runOn("cpu", run)).values;
  const actual = (await runOn("wasm", run)).values;
  return { expected, actual };
}

describe("MaxPoolGrad (our C kernel on wasm) matches cpu", () => {
  const rng = makeRng(SEED + 20);
  const cases: Array<[number, number, "same" | "valid" | "explicit", boolean]> = [];
  for (const size of [2, 3]) for (const stride of [1, 2]) for (const pad of ["same", "valid"] as const) for (const ties of [false, true]) cases.push([size, stride, pad, ties]);
  // Explicit padding; a stride larger than the window (cells no window covers get 0).
  cases.push([3, 2, "explicit", true], [2, 1, "explicit", false], [2, 3, "valid", true], [2, 3, "same", false]);
  it.each(cases.map((c, i) => [...c, (i % 8) + 1] as const))("window %i, stride %i, padding %s, ties %s, channels = %i mod 8", async (size, stride, pad, ties, remainder) => {
    const c = drawPool(rng, size, stride, pad, ties, remainder);
    const { expected, actual } = await poolGrads(c, rng);
    expect(actual.length).toBe(expected.length);
    expect(relativeError(actual, expected), `input [${c.shape}], ${JSON.stringify(c.attrs)}`).toBeLessThan(TOLERANCE);
    // Not vacuous: the gradient reaches the input.
    expect(expected.some((v) => v !== 0)).toBe(true);
  });

  it("a window of -Infinity has no maximum (as on cpu): its dy goes nowhere", async () => {
    const c = drawPool(rng, 2, 2, "valid", true, 5);
    const [, h, w, ch] = c.shape;
    // Whole windows of -inf in the first image, rows 0-1 and columns 0-1.
    for (let r = 0; r < 2; r++) for (let q = 0; q < Math.min(w, 4); q++) c.input.fill(-Infinity, (r * w + q) * ch, (r * w + q + 1) * ch);
    expect(h).toBeGreaterThanOrEqual(2);
    const { expected, actual } = await poolGrads(c, rng);
    expect(relativeError(actual, expected)).toBeLessThan(TOLERANCE);
    expect(actual.subarray(0, ch).every((v) => v === 0)).toBe(true);
  });
});

/** Relu's gradient of `x` weighted by `dy`, on a backend; also returns the kernels that ran. */
async function reluGrad(backend: string, shape: number[], x: Float32Array, dy: Float32Array): Promise<{ grad: Float32Array; kernels: string[] }> {
  await tf.setBackend(backend);
  const xt = tf.tensor(x, shape);
  const dyt = tf.tensor(dy, shape);
  let grad = new Float32Array();
  const profile = await tf.profile(() => {
    const g = tf.grad((t: tf.Tensor) => tf.relu(t))(xt, dyt);
    grad = g.dataSync() as Float32Array;
    g.dispose();
  });
  tf.dispose([xt, dyt]);
  return { grad, kernels: profile.kernels.map((k) => k.name) };
}

describe("relu gradient (our C kernel on wasm) matches cpu", () => {
  const rng = makeRng(SEED + 21);
  it.each([1, 2, 3, 4])("random shape %#, with exact zeros in x", async () => {
    // Any size: the kernel's 16-, 4- and 1-element loops all run.
    const shape = [int(rng, 1, 64), int(rng, 1, 26), int(rng, 1, 26), int(rng, 1, 33)];
    const x = values(rng, shape).map((v) => (rng() < 0.2 ? 0 : v));
    const dy = values(rng, shape);
    const cpu = await reluGrad("cpu", shape, x, dy);
    const wasm = await reluGrad("wasm", shape, x, dy);
    expect(relativeError(wasm.grad, cpu.grad)).toBeLessThan(TOLERANCE);
    // x = 0 gives 0 (tfjs's step(0) = 0; -0 for negative dy), and ours ran instead of Step, Cast and Multiply.
    expect(x.every((v, i) => v !== 0 || wasm.grad[i] === 0)).toBe(true);
    expect(wasm.kernels).toContain(RELU_GRAD);
    expect(wasm.kernels).not.toContain("Step");
  });

  it("special values as on cpu: NaN x gives NaN, infinite dy at x <= 0 gives NaN, -0", async () => {
    const x = new Float32Array([NaN, 0, -0, -1, 2, 0, 3, NaN, -2, 0, 1, 1, -1, 5, 0, 7, NaN, 0, 1]);
    const dy = new Float32Array([1, Infinity, -2, -Infinity, Infinity, -3, NaN, 2, 4, 5, -6, 7, -8, 9, NaN, 1, 2, -1, 3]);
    const cpu = await reluGrad("cpu", [x.length], x, dy);
    const wasm = await reluGrad("wasm", [x.length], x, dy);
    expect(Array.from(wasm.grad).map(String)).toEqual(Array.from(cpu.grad).map(String));
    expect(Array.from(wasm.grad).map((v) => Object.is(v, -0))).toEqual(Array.from(cpu.grad).map((v) => Object.is(v, -0)));
  });

  it("second derivatives through relu (our kernel's own gradient) match cpu", async () => {
    const shape = [3, 5, 7];
    const x = values(rng, shape);
    const second = async (backend: string) => {
      await tf.setBackend(backend);
      const xt = tf.tensor(x, shape);
      // f(x) = sum(relu(x) * x): f'(x) = step(x) * x + relu(x), f'' = 2 step(x).
      const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), t));
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.grad(f)(t)))(xt);
      const out = g.dataSync() as Float32Array;
      tf.dispose([xt, g]);
      return out;
    };
    const cpu = await second("cpu");
    expect(relativeError(await second("wasm"), cpu)).toBeLessThan(TOLERANCE);
    expect(cpu.some((v) => v === 2)).toBe(true);
  });

  it("int32 x falls back to tfjs's gradient", async () => {
    const x = tf.tensor([-2, 0, 3, 1], [4], "int32");
    const dy = tf.tensor([1.5, 2, -3, 4], [4]);
    const gradient = tf.getGradient(tf.Relu)!;
    const dx = gradient.gradFunc(dy, [x], {}) as Record<string, () => tf.Tensor>;
    const result = dx.x();
    expect(Array.from(result.dataSync())).toEqual([0, 0, -3, 4]);
    tf.dispose([x, dy, result]);
  });
});

describe("no leaks", () => {
  it("MaxPoolGrad and the relu gradient leave tensors, bytes and backend buffers unchanged", async () => {
    await tf.setBackend("wasm");
    const rng = makeRng(SEED + 22);
    const x = tf.tensor4d(values(rng, [8, 13, 11, 6]), [8, 13, 11, 6]);
    const dy = tf.tensor4d(values(rng, [8, 13, 11, 6]), [8, 13, 11, 6]);
    const run = () =>
      tf.tidy(() => {
        for (const [size, stride, pad] of [[2, 2, "valid"], [3, 1, "same"], [3, 2, "same"]] as const) {
          const pooled = tf.grad((t: tf.Tensor) => tf.sum(tf.maxPool(t as tf.Tensor4D, size, stride, pad)))(x);
          pooled.dataSync();
        }
        tf.grad((t: tf.Tensor) => tf.relu(t))(x, dy).dataSync();
      });
    run();
    const before = tf.memory();
    const buffers = tf.engine().backend.numDataIds();
    for (let i = 0; i < 50; i++) run();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    tf.dispose([x, dy]);
  });
});
