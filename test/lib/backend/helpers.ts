/** Shared helpers for the backend tests: seeded random draws and comparisons on two backends. */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, expect } from "vitest";
import { registerWasmTrainingKernels } from "../../../lib/src/backend/index.js";

/** mulberry32: a small seeded generator, so a failing draw can be replayed from its seed. */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SEED = Number(process.env.MNIST_LAB_TEST_SEED ?? Date.now() % 1_000_000);

export function int(rng: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/** Fresh values in [-1, -0.05] U [0.05, 1]: never zero. */
export function values(rng: () => number, shape: number[]): Float32Array {
  const out = new Float32Array(shape.reduce((p, d) => p * d, 1));
  for (let i = 0; i < out.length; i++) out[i] = (rng() < 0.5 ? -1 : 1) * (0.05 + 0.95 * rng());
  return out;
}

/** max |actual - expected| / max |expected| */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

export interface KernelRun {
  name: string;
  inputs: Record<string, { shape: number[]; values: Float32Array | Int32Array; dtype?: tf.DataType }>;
  attrs: Record<string, unknown>;
}

/** Runs one kernel on a backend with fresh tensors; returns shape and values. */
export async function runOn(backend: string, run: KernelRun): Promise<{ shape: number[]; values: Float32Array }> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const inputs: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(run.inputs)) inputs[k] = tf.tensor(v.values, v.shape, v.dtype ?? "float32");
    const out = tf.engine().runKernel(run.name, inputs as tf.NamedTensorMap, run.attrs as tf.NamedAttrMap) as tf.Tensor;
    return { shape: out.shape, values: out.dataSync() as Float32Array };
  });
}

/** For a test file: registers our kernels, switches to wasm, and prints the seed to replay a failure with. */
export function useWasmKernels(label: string): void {
  beforeAll(async () => {
    registerWasmTrainingKernels();
    expect(await tf.setBackend("wasm")).toBe(true);
    console.log(`${label} tests: seed ${SEED} (replay with MNIST_LAB_TEST_SEED=${SEED})`);
  });
}
