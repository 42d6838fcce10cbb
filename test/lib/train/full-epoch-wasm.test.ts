/**
 * The end-to-end check of the wasm kernels (Winograd, our C
 * kernels, XNNPACK): the seed's CNN and recipe trained for one epoch of the
 * full MNIST on the wasm backend reaches >= 98 % test accuracy (PyTorch:
 * 98.3 % after one epoch); and training leaks no tensors from epoch to epoch.
 * ~25 s on one core.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { ready } from "../../../lib/src/backend/choose.js";
import { evaluate } from "../../../lib/src/eval/evaluate.js";
import { seedConvNet } from "../../../lib/src/model/architectures.js";
import { seedRecipe } from "../../../lib/src/train/recipes.js";
import { train } from "../../../lib/src/train/train.js";
import { mnistData, tinyTrain } from "./helpers.js";

beforeAll(async () => {
  process.env.MNIST_LAB_BACKEND = "wasm"; // this file runs in its own process (vitest forks)
  expect((await ready()).name).toBe("wasm");
});

describe("the seed's CNN on wasm", () => {
  it("one epoch of the full MNIST with the seed's recipe: >= 98 % test accuracy", async () => {
    const mnist = await mnistData();
    const model = seedConvNet({ seed: 1 });
    const history = await train(model, mnist.train, { recipe: seedRecipe, epochs: 1, seed: 1, progress: false, liveChart: false });
    const result = await evaluate(model, mnist.test);
    console.log(`one epoch on wasm: ${(100 * result.accuracy).toFixed(2)} % test accuracy, ${(mnist.train.count / history.seconds).toFixed(0)} images/s`);
    expect(history.epochs).toHaveLength(1);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.98);
    model.dispose();
  });

  it("numTensors is the same after every epoch (no leaks in our kernels or the training loop)", async () => {
    const data = await tinyTrain(100); // 1,000 images
    const model = seedConvNet({ seed: 2 });
    const counts: number[] = [];
    await train(model, data, {
      recipe: seedRecipe, epochs: 4, seed: 2, progress: false, liveChart: false,
      callbacks: { onEpochEnd: () => void counts.push(tf.memory().numTensors) },
    });
    expect(counts).toHaveLength(4);
    expect(new Set(counts).size).toBe(1);
    model.dispose();
  });
});
