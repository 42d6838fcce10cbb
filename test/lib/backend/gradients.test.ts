/**
 * Gradients through a small conv model (conv, max pool, strided 'same' conv,
 * overlapping pool, dense) agree between the cpu backend and wasm with our
 * kernels; training steps on wasm neither leak tensors nor backend buffers.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { registerWasmTrainingKernels } from "../../../lib/src/backend/index.js";
import { SEED, makeRng, relativeError, values } from "./helpers.js";

beforeAll(() => {
  registerWasmTrainingKernels();
});

/**
 * A seed-like model whose layers take every path of our kernels: a first layer with few taps
 * (direct convolution and filter gradient in C), 3x3 stride-1 layers with >= 8 channels
 * (Winograd forward and dx; Winograd dW once in x out channels > 1,024), C max-pool and relu
 * gradients, and dense layers through our C product.
 */
function winogradModel(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [14, 14, 1], filters: 16, kernelSize: 3, activation: "relu" }),
      tf.layers.conv2d({ filters: 40, kernelSize: 3, padding: "same", activation: "relu" }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 48, kernelSize: 3, activation: "relu" }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 24, activation: "relu" }),
      tf.layers.dense({ units: 4 }),
    ],
  });
}

function smallModel(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [12, 12, 2], filters: 6, kernelSize: 3, activation: "relu" }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 5, kernelSize: 3, strides: 2, padding: "same", activation: "relu" }),
      tf.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: "same" }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 4 }),
    ],
  });
}

async function gradientsOn(backend: string, weights: Float32Array[], x: Float32Array, labels: number[], makeModel = smallModel): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const model = makeModel();
  model.setWeights(weights.map((w, i) => tf.tensor(w, model.getWeights()[i].shape)));
  const inputShape = model.inputs[0].shape.slice(1) as number[];
  const { grads } = tf.tidy(() => {
    const xs = tf.tensor(x, [labels.length, ...inputShape]);
    const ys = tf.oneHot(tf.tensor1d(labels, "int32"), 4);
    return tf.variableGrads(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor) as tf.Scalar);
  });
  const out = model.trainableWeights.map((w) => grads[w.originalName].dataSync() as Float32Array);
  tf.dispose(grads);
  model.dispose();
  return out;
}

describe("gradient check through a small conv model", () => {
  // The small model crosses strided, padded and overlapping geometries; the seed-like one crosses
  // Winograd, the direct convolutions and the C products.
  it.each([
    { name: "a small conv model", model: smallModel, input: [12, 12, 2], batch: 6, scale: 0.5, seed: 10 },
    { name: "a seed-like model (Winograd, direct convolutions, C products)", model: winogradModel, input: [14, 14, 1], batch: 5, scale: 0.3, seed: 12 },
  ])("cpu and wasm (our kernels) agree on every weight's gradient through $name", async ({ model, input, batch, scale, seed }) => {
    const rng = makeRng(SEED + seed);
    await tf.setBackend("cpu");
    const shapes = model().getWeights().map((w) => w.shape);
    const weights = shapes.map((s) => values(rng, s).map((v) => v * scale));
    const x = values(rng, [batch, ...input]);
    const labels = Array.from({ length: batch }, () => Math.floor(rng() * 4));
    const onCpu = await gradientsOn("cpu", weights, x, labels, model);
    const onWasm = await gradientsOn("wasm", weights, x, labels, model);
    expect(onWasm.length).toBe(shapes.length);
    onWasm.forEach((g, i) => expect(relativeError(g, onCpu[i]), `weight ${i} (${shapes[i]})`).toBeLessThan(1e-4));
    // Not vacuous: the gradients are non-zero.
    expect(Math.max(...onCpu[0].map(Math.abs))).toBeGreaterThan(0);
  });

  it("training steps on wasm keep tensors and backend buffers flat", async () => {
    await tf.setBackend("wasm");
    const model = smallModel();
    const optimizer = tf.train.momentum(0.01, 0.9);
    const rng = makeRng(SEED + 11);
    const xs = tf.tensor4d(values(rng, [8, 12, 12, 2]), [8, 12, 12, 2]);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], "int32"), 4);
    const step = () => tf.tidy(() => void optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor) as tf.Scalar));
    step(); // optimizer slots are created on the first step
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    tf.dispose([xs, ys]);
    optimizer.dispose();
    model.dispose();
  });
});

describe("batch-norm gradients (ours on wasm, tfjs's on cpu) agree", () => {
  const rng = makeRng(SEED + 11);
  const draw = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

  /** Every input's gradient of sum(f(inputs) * weights) on one backend. */
  async function gradsOn(backend: string, f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: Array<{ shape: number[]; values: Float32Array }>, weights: Float32Array) {
    await tf.setBackend(backend);
    return tf.tidy(() => {
      const xs = inputs.map((i) => tf.tensor(i.values, i.shape));
      const grads = tf.grads((...args: tf.Tensor[]) => {
        const y = f(...args);
        return tf.sum(tf.mul(y, tf.tensor(weights, y.shape)));
      })(xs);
      return grads.map((g) => g.dataSync() as Float32Array);
    });
  }

  async function expectAgreement(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: Array<{ shape: number[]; values: Float32Array }>, outSize: number) {
    const weights = values(rng, [outSize]);
    const expected = await gradsOn("cpu", f, inputs, weights);
    const actual = await gradsOn("wasm", f, inputs, weights);
    expected.forEach((want, i) => expect(relativeError(actual[i], want), `input ${i}`).toBeLessThan(1e-4));
  }

  it.each([2, 4])("FusedBatchNorm of a rank-%i input: x, mean, variance, offset and scale", async (rank) => {
    const shape = rank === 2 ? [draw(1, 64), draw(1, 128)] : [draw(1, 32), draw(1, 16), draw(1, 16), draw(1, 64)];
    const c = shape[shape.length - 1];
    const size = shape.reduce((p, d) => p * d, 1);
    const f = (x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, offset: tf.Tensor, scale: tf.Tensor) =>
      tf.batchNorm(x, mean as tf.Tensor1D, variance as tf.Tensor1D, offset as tf.Tensor1D, scale as tf.Tensor1D, 1e-3);
    const vector = () => ({ shape: [c], values: values(rng, [c]) });
    await expectAgreement(f as never, [{ shape, values: values(rng, shape) }, vector(), { shape: [c], values: values(rng, [c]).map(Math.abs) }, vector(), vector()], size);
  });

  it("a layer's batch statistics (moments, then batch norm) end to end", async () => {
    const shape = [draw(2, 32), draw(1, 16), draw(1, 16), draw(1, 64)];
    const c = shape[3];
    const size = shape.reduce((p, d) => p * d, 1);
    const f = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return tf.batchNorm(x, mean, variance, beta as tf.Tensor1D, gamma as tf.Tensor1D, 1e-3);
    };
    await expectAgreement(f as never, [{ shape, values: values(rng, shape) }, { shape: [c], values: values(rng, [c]) }, { shape: [c], values: values(rng, [c]) }], size);
  });

  it.each([[[0, 1, 2]], [[1]], [[0, 3]]])("Mean over axes %j", async (axes) => {
    const shape = [draw(1, 16), draw(1, 16), draw(1, 16), draw(1, 32)];
    const outSize = shape.filter((_, i) => !axes.includes(i)).reduce((p, d) => p * d, 1);
    await expectAgreement((x: tf.Tensor) => tf.mean(x, axes), [{ shape, values: values(rng, shape) }], outSize);
  });
});
