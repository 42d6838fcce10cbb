import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { modelBuilder } from "../../../lib/src/model/builder.js";
import { checkHookup, LayerHookupError } from "../../../lib/src/model/hookup.js";
import { seedConvNet } from "../../../lib/src/model/architectures.js";
import { train } from "../../../lib/src/train/train.js";
import { backend, tinyTrain } from "../train/helpers.js";

beforeAll(async () => {
  await backend();
});

function seedBody() {
  return modelBuilder()
    .add(tf.layers.conv2d({ name: "conv1", filters: 32, kernelSize: 3, activation: "relu" }))
    .add(tf.layers.maxPooling2d({ name: "pool1", poolSize: 2 }))
    .add(tf.layers.conv2d({ name: "conv2", filters: 64, kernelSize: 3, activation: "relu" }))
    .add(tf.layers.maxPooling2d({ name: "pool2", poolSize: 2 }))
    .add(tf.layers.flatten({ name: "flatten" }));
}

describe("a wrong layer hookup", () => {
  it("fails when added in the builder, naming the layer and both shapes (the seed's 64*7*7 bug)", () => {
    const b = seedBody();
    const wrong = () => b.add(tf.layers.dense({ name: "fc1", units: 128, inputShape: [64 * 7 * 7] }));
    expect(wrong).toThrow(LayerHookupError);
    expect(wrong).toThrow(/"fc1".*\(None, 3136\).*\(None, 1600\)/);
    b.dispose();
  });

  it("fails for a layer that cannot take the input at all", () => {
    const b = modelBuilder().add(tf.layers.flatten({ name: "flatten" }));
    expect(() => b.add(tf.layers.conv2d({ name: "late_conv", filters: 8, kernelSize: 3 }))).toThrow(/"late_conv".*\(None, 784\)/);
    b.dispose();
  });

  it("in a plain tf.sequential (tfjs only warns) is caught by checkHookup and by train before any batch", async () => {
    const model = tf.sequential();
    model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, name: "c1" }));
    model.add(tf.layers.flatten({ name: "flat" }));
    model.add(tf.layers.dense({ units: 10, inputShape: [3136], name: "out" }));
    expect(() => checkHookup(model)).toThrow(/"out" expects input \(None, 3136\) but receives \(None, 2704\)/);
    let batches = 0;
    await expect(
      train(model, await tinyTrain(2), { epochs: 1, progress: false, callbacks: { onBatchEnd: () => void batches++ } }),
    ).rejects.toThrow(LayerHookupError);
    expect(batches).toBe(0);
  });

  it("a head with the wrong number of classes fails before training, naming the layer", async () => {
    await expect(train(seedConvNet({ classes: 5 }), await tinyTrain(2), { epochs: 1, progress: false })).rejects.toThrow(
      /Layer "fc2" outputs \(None, 5\) but .* has 10 classes/,
    );
  });
});
