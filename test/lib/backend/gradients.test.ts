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

async function gradientsOn(backend: string, weights: Float32Array[], x: Float32Array, labels: number[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const model = smallModel();
  model.setWeights(weights.map((w, i) => tf.tensor(w, model.getWeights()[i].shape)));
  const { grads } = tf.tidy(() => {
    const xs = tf.tensor4d(x, [labels.length, 12, 12, 2]);
    const ys = tf.oneHot(tf.tensor1d(labels, "int32"), 4);
    return tf.variableGrads(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor) as tf.Scalar);
  });
  const out = model.trainableWeights.map((w) => grads[w.originalName].dataSync() as Float32Array);
  tf.dispose(grads);
  model.dispose();
  return out;
}

describe("gradient check through a small conv model", () => {
  it("cpu and wasm (our kernels) agree on every weight's gradient", async () => {
    const rng = makeRng(SEED + 10);
    await tf.setBackend("cpu");
    const shapes = smallModel().getWeights().map((w) => w.shape);
    const weights = shapes.map((s) => values(rng, s).map((v) => v * 0.5));
    const batch = 6;
    const x = values(rng, [batch, 12, 12, 2]);
    const labels = Array.from({ length: batch }, () => Math.floor(rng() * 4));
    const onCpu = await gradientsOn("cpu", weights, x, labels);
    const onWasm = await gradientsOn("wasm", weights, x, labels);
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
