/**
 * Our matrix product (lib/native/gemm.c, routed by kernels/matmul.ts) on
 * wasm against tfjs's cpu backend: random shapes (m 1-70, k 1-2000, n 1-200
 * within a compute budget) with every row tail (m mod 4) and column tail
 * (n mod 8), batches with either side broadcast, transposed operands,
 * _FusedMatMul with a bias and linear or relu; the seed CNN's dense shapes
 * as routed by default; relative error < 1e-4; no tensors or buffers left
 * behind. Replay a failure with MNIST_LAB_TEST_SEED=<seed>.
 */
import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { prefersNative } from "../../../lib/src/backend/kernels/matmul.js";
import { SEED, int, makeRng, relativeError, runOn, values, type KernelRun, useWasmKernels } from "./helpers.js";

const TOLERANCE = 1e-4;
const MAC_BUDGET = 2e6;

useWasmKernels("gemm");

async function expectAgreement(run: KernelRun, what: string) {
  const expected = await runOn("cpu", run);
  const actual = await runOn("wasm", run);
  expect(actual.shape, what).toEqual(expected.shape);
  expect(relativeError(actual.values, expected.values), what).toBeLessThan(TOLERANCE);
}

interface Product {
  m: number;
  k: number;
  n: number;
}

/** m ≡ rowTail (mod 4), n ≡ colTail (mod 8), k up to 2000, m * k * n within the budget. */
function drawProduct(rng: () => number, rowTail: number, colTail: number): Product {
  const m = 4 * int(rng, 0, 17) + rowTail || 4;
  const n = 8 * int(rng, 0, 24) + colTail || 8;
  const k = int(rng, 1, Math.max(1, Math.min(2000, Math.floor(MAC_BUDGET / (m * n)))));
  return { m, k, n };
}

function matMulRun(rng: () => number, p: Product, options: { batchA?: number[]; batchB?: number[]; transposeA?: boolean; transposeB?: boolean; nativeGemm?: boolean } = {}): KernelRun {
  const { batchA = [1], batchB = [1], transposeA = false, transposeB = false } = options;
  const aShape = [...batchA, ...(transposeA ? [p.k, p.m] : [p.m, p.k])];
  const bShape = [...batchB, ...(transposeB ? [p.n, p.k] : [p.k, p.n])];
  return {
    name: tf.BatchMatMul,
    inputs: { a: { shape: aShape, values: values(rng, aShape) }, b: { shape: bShape, values: values(rng, bShape) } },
    attrs: { transposeA, transposeB, ...(options.nativeGemm === undefined ? {} : { nativeGemm: options.nativeGemm }) },
  };
}

function fusedRun(rng: () => number, p: Product, activation: "linear" | "relu", bias: boolean, nativeGemm?: boolean): KernelRun {
  const inputs: KernelRun["inputs"] = {
    a: { shape: [1, p.m, p.k], values: values(rng, [1, p.m, p.k]) },
    b: { shape: [1, p.k, p.n], values: values(rng, [1, p.k, p.n]) },
  };
  if (bias) inputs.bias = { shape: [p.n], values: values(rng, [p.n]) };
  return { name: tf._FusedMatMul, inputs, attrs: { transposeA: false, transposeB: false, activation, ...(nativeGemm === undefined ? {} : { nativeGemm }) } };
}

const tails: Array<[number, number]> = [];
for (let colTail = 0; colTail < 8; colTail++) tails.push([colTail % 4, colTail]);
for (let rowTail = 0; rowTail < 4; rowTail++) tails.push([rowTail, (rowTail + 5) % 8]);

describe("BatchMatMul by our kernel matches cpu", () => {
  const rng = makeRng(SEED + 40);

  it.each(tails)("m = %i mod 4, n = %i mod 8", async (rowTail, colTail) => {
    for (let i = 0; i < 3; i++) {
      const p = drawProduct(rng, rowTail, colTail);
      await expectAgreement(matMulRun(rng, p, { nativeGemm: true }), JSON.stringify(p));
    }
  });

  it("batches: both sides batched, either side broadcast, several batch axes", async () => {
    const batches: Array<[number[], number[]]> = [[[3], [3]], [[4], [1]], [[1], [5]], [[2, 3], [1]], [[2, 3], [2, 3]], [[1, 1], [3]]];
    for (const [batchA, batchB] of batches) {
      const p = drawProduct(rng, int(rng, 0, 3), int(rng, 0, 7));
      p.k = Math.min(p.k, 300);
      await expectAgreement(matMulRun(rng, p, { batchA, batchB, nativeGemm: true }), `${JSON.stringify(p)} batches [${batchA}] [${batchB}]`);
    }
  });

  it("transposed operands (explicit transposes, then our kernel)", async () => {
    for (const [transposeA, transposeB] of [[true, false], [false, true], [true, true]]) {
      for (const small of [false, true]) {
        const p = drawProduct(rng, int(rng, 0, 3), int(rng, 0, 7));
        // small: a larger than b, so a b^T is not turned into (b a^T)^T.
        if (small) [p.m, p.n] = [Math.max(p.m, p.n), Math.min(p.m, p.n)];
        await expectAgreement(matMulRun(rng, p, { transposeA, transposeB, nativeGemm: true }), `${JSON.stringify(p)} ${transposeA} ${transposeB}`);
      }
    }
  });

  it("empty products: k = 0 gives zeros (or the bias, through relu), m = 0 or n = 0 an empty result", async () => {
    await expectAgreement(matMulRun(rng, { m: 3, k: 0, n: 5 }, { nativeGemm: true }), "k = 0");
    await expectAgreement(fusedRun(rng, { m: 3, k: 0, n: 5 }, "relu", true, true), "k = 0, bias, relu");
    await expectAgreement(matMulRun(rng, { m: 0, k: 4, n: 5 }, { nativeGemm: true }), "m = 0");
    await expectAgreement(matMulRun(rng, { m: 3, k: 4, n: 0 }, { nativeGemm: true }), "n = 0");
  });

  it("k = 1 and 1 x 1 products", async () => {
    for (const p of [{ m: 1, k: 1, n: 1 }, { m: 7, k: 1, n: 13 }, { m: 1, k: 1999, n: 1 }, { m: 70, k: 1, n: 200 }]) {
      await expectAgreement(matMulRun(rng, p, { nativeGemm: true }), JSON.stringify(p));
    }
  });
});

describe("_FusedMatMul by our kernel matches cpu", () => {
  const rng = makeRng(SEED + 41);

  it.each(tails)("m = %i mod 4, n = %i mod 8: bias and relu, bias and linear, relu without bias", async (rowTail, colTail) => {
    for (const [activation, bias] of [["relu", true], ["linear", true], ["relu", false]] as const) {
      const p = drawProduct(rng, rowTail, colTail);
      const run = fusedRun(rng, p, activation, bias, true);
      await expectAgreement(run, `${JSON.stringify(p)} ${activation} bias ${bias}`);
    }
  });

  it("relu zeroes exactly the negative sums", async () => {
    const run = fusedRun(rng, { m: 9, k: 17, n: 11 }, "relu", true, true);
    const expected = await runOn("cpu", run);
    const actual = await runOn("wasm", run);
    expect(expected.values.some((v) => v === 0) && expected.values.some((v) => v > 0)).toBe(true);
    for (let i = 0; i < expected.values.length; i++) expect(actual.values[i] === 0).toBe(expected.values[i] === 0);
  });

  it("activations other than linear and relu fall back to the backend's kernel", async () => {
    const run = fusedRun(rng, { m: 5, k: 7, n: 6 }, "linear", true, true);
    await expectAgreement({ ...run, attrs: { ...run.attrs, activation: "relu6" } }, "relu6");
  });
});

describe("the seed CNN's dense layers, routed by default", () => {
  const rng = makeRng(SEED + 42);

  it("picks our kernel for the seed's products (one XNNPACK thread) and XNNPACK where it wins", () => {
    for (const [m, n] of [[32, 128], [1600, 32], [1600, 128], [32, 10], [128, 10], [1000, 128], [288, 64]]) {
      expect(prefersNative(m, n, 1, false), `${m} ${n}`).toBe(true);
      expect(prefersNative(m, n, 1, true), `${m} ${n} fused`).toBe(true);
    }
    expect(prefersNative(256, 1024, 1, false)).toBe(false);
    expect(prefersNative(32, 128, 2, false)).toBe(true);
    expect(prefersNative(32, 128, 2, true)).toBe(false);
    expect(prefersNative(1000, 128, 2, false)).toBe(false);
  });

  it("fc1 forward [32,1600]x[1600,128] and its gradients dx = dy W^T, dW = x^T dy", async () => {
    await expectAgreement(matMulRun(rng, { m: 32, k: 1600, n: 128 }), "forward");
    await expectAgreement(matMulRun(rng, { m: 32, k: 128, n: 1600 }, { transposeB: true }), "dx");
    await expectAgreement(matMulRun(rng, { m: 1600, k: 32, n: 128 }, { transposeA: true }), "dW");
  });

  it("fc2 [32,128]x[128,10] with bias, its gradients, and inference [1000,1600]x[1600,128] + bias, relu", async () => {
    await expectAgreement(fusedRun(rng, { m: 32, k: 128, n: 10 }, "linear", true), "fc2 forward");
    await expectAgreement(matMulRun(rng, { m: 32, k: 10, n: 128 }, { transposeB: true }), "fc2 dx");
    await expectAgreement(matMulRun(rng, { m: 128, k: 32, n: 10 }, { transposeA: true }), "fc2 dW");
    await expectAgreement(fusedRun(rng, { m: 1000, k: 1600, n: 128 }, "relu", true), "fc1 inference");
  });
});

describe("no leaks", () => {
  it("leaves tf.memory() and the backend's buffers unchanged after repeated products", async () => {
    await tf.setBackend("wasm");
    const backend = (tf.backend() as unknown as { dataIdMap: { numDataIds(): number } }).dataIdMap;
    const rng = makeRng(SEED + 43);
    const a = tf.tensor(values(rng, [1, 33, 70]), [1, 33, 70]);
    const b = tf.tensor(values(rng, [1, 70, 21]), [1, 70, 21]);
    const bias = tf.tensor(values(rng, [21]), [21]);
    const runAll = () => {
      for (const nativeGemm of [true, false, undefined]) {
        const attrs = { transposeA: false, transposeB: false, ...(nativeGemm === undefined ? {} : { nativeGemm }) } as unknown as tf.NamedAttrMap;
        (tf.engine().runKernel(tf.BatchMatMul, { a, b }, attrs) as tf.Tensor).dispose();
        (tf.engine().runKernel(tf.BatchMatMul, { a, b: a }, { ...attrs, transposeB: true }) as tf.Tensor).dispose();
        (tf.engine().runKernel(tf.BatchMatMul, { a: b, b }, { ...attrs, transposeA: true }) as tf.Tensor).dispose();
        (tf.engine().runKernel(tf._FusedMatMul, { a, b, bias }, { ...attrs, activation: "relu" }) as tf.Tensor).dispose();
      }
    };
    runAll(); // first calls may set things up
    const [tensors, dataIds] = [tf.memory().numTensors, backend.numDataIds()];
    for (let i = 0; i < 5; i++) runAll();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(dataIds);
    tf.dispose([a, b, bias]);
  });
});
