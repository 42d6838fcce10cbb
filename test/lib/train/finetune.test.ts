import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectClasses, takePerClass } from "../../../lib/src/data/split.js";
import type { Dataset } from "../../../lib/src/data/types.js";
import { seedConvNet } from "../../../lib/src/model/architectures.js";
import { freezeUpTo, frozenLayers, replaceHead } from "../../../lib/src/model/transfer.js";
import { fineTune, transferExperiment } from "../../../lib/src/train/finetune.js";
import { train } from "../../../lib/src/train/train.js";
import { DISPLAY } from "../../../lib/src/display/bundle.js";
import { backend, mnistData, sameArrays } from "./helpers.js";

const quiet = { progress: false } as const;
let mnist: Dataset;

beforeAll(async () => {
  await backend();
  mnist = await mnistData();
});

function layerWeights(model: tf.LayersModel, name: string): Float32Array[] {
  return model.getLayer(name).getWeights().map((w) => w.dataSync() as Float32Array);
}

describe("freezing and replacing the head", () => {
  it("frozen layers keep their weights while the new head trains", async () => {
    const pretrained = seedConvNet({ seed: 1, classes: 5 });
    const model = replaceHead(pretrained, 3, { seed: 2 });
    expect(model.outputs[0].shape).toEqual([null, 3]);
    freezeUpTo(model, "fc1");
    expect(frozenLayers(model)).toEqual(["conv1", "conv2", "fc1"]);
    const before = { conv1: layerWeights(model, "conv1"), fc1: layerWeights(model, "fc1"), head: layerWeights(model, "head") };
    const data = takePerClass(selectClasses(mnist.train, [7, 8, 9]), 10, 1);
    await train(model, data, { epochs: 2, seed: 1, ...quiet });
    expect(sameArrays(layerWeights(model, "conv1"), before.conv1)).toBe(true);
    expect(sameArrays(layerWeights(model, "fc1"), before.fc1)).toBe(true);
    expect(sameArrays(layerWeights(model, "head"), before.head)).toBe(false);
  });

  it("gradual unfreezing trains a layer only from the epoch it is unfrozen", async () => {
    const model = replaceHead(seedConvNet({ seed: 1 }), 3, { seed: 2 });
    freezeUpTo(model, "fc1");
    const data = takePerClass(selectClasses(mnist.train, [0, 1, 2]), 10, 1);
    const fc1AtEpochStart: Float32Array[][] = [];
    const conv1 = layerWeights(model, "conv1");
    await train(model, data, {
      epochs: 2, seed: 1, ...quiet,
      unfreeze: [{ epoch: 1, from: "fc1" }],
      callbacks: { onEpochStart: () => void fc1AtEpochStart.push(layerWeights(model, "fc1")) },
    });
    const after = layerWeights(model, "fc1");
    expect(sameArrays(fc1AtEpochStart[0], fc1AtEpochStart[1])).toBe(true); // frozen during epoch 0
    expect(sameArrays(fc1AtEpochStart[1], after)).toBe(false); // trained during epoch 1
    expect(sameArrays(layerWeights(model, "conv1"), conv1)).toBe(true); // still frozen
    expect(frozenLayers(model)).toEqual(["conv1", "conv2"]);
  });

  it("fineTune leaves the pretrained model untouched", async () => {
    const pretrained = seedConvNet({ seed: 3, classes: 5 });
    const before = pretrained.getWeights().map((w) => w.dataSync() as Float32Array);
    const data = takePerClass(selectClasses(mnist.train, [5, 6]), 8, 1);
    const { model, history } = await fineTune(pretrained, data, { epochs: 1, seed: 1, ...quiet });
    expect(model.outputs[0].shape).toEqual([null, 2]);
    expect(history.recipe).toContain("fine-tune: SGD lr 0.001 momentum 0.9");
    const after = pretrained.getWeights().map((w) => w.dataSync() as Float32Array);
    expect(sameArrays(before, after)).toBe(true);
  });
});

describe("transferExperiment", () => {
  it("pretrains on 0–4, fine-tunes on 5–9 with few labels and compares with training from scratch", async () => {
    const result = await transferExperiment(mnist, {
      labelsPerClass: 5, pretrainLimit: 300, testLimit: 200, pretrainEpochs: 1, fineTuneEpochs: 2, validationSize: 100, seed: 1, train: quiet,
    });
    expect(result.fineTuned.history.epochs).toHaveLength(2);
    expect(result.scratch.history.epochs).toHaveLength(2);
    expect(result.fineTuned.history.batches[0].epoch).toBe(0);
    expect(result.fineTuned.evaluation.classNames).toEqual(["5", "6", "7", "8", "9"]);
    expect(result.scratch.evaluation.count).toBe(200);
    expect(result.fineTuned.evaluation.count).toBe(200);
    expect(result.pretrain.evaluation.classNames).toEqual(["0", "1", "2", "3", "4"]);
    const bundle = result[DISPLAY]();
    expect(bundle["text/plain"]).toMatch(/fine-tuned.*%/);
    expect(bundle["text/html"]).toContain("<svg");
  });
});
