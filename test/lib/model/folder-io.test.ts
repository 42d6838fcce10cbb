import * as tf from "@tensorflow/tfjs";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { improvedConvNet, seedConvNet } from "../../../lib/src/model/architectures.js";
import { cloneModel, loadModel, saveModel } from "../../../lib/src/model/folder-io.js";
import { modelInfo, setModelInfo } from "../../../lib/src/model/metadata.js";
import { freezeUpTo, frozenLayers } from "../../../lib/src/model/transfer.js";
import { backend, outputs, sameArrays, tinyTest, weightValues } from "../train/helpers.js";

const root = mkdtempSync(join(tmpdir(), "mnist-lab-model-"));
beforeAll(async () => {
  await backend();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("saving models to a folder", () => {
  it("round trip: same weights, predictions, frozen layers and metadata; replacing leaves no temp folders", async () => {
    const set = await tinyTest(2);
    const model = improvedConvNet({ seed: 1 });
    freezeUpTo(model, "conv2_relu");
    setModelInfo(model, { normalization: "unit", classNames: ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"] });
    const dir = join(root, "improved");
    await saveModel(model, dir);
    await saveModel(model, dir); // replaces the folder in one step
    expect(readdirSync(dir).sort()).toEqual(["model.json", "weights.bin"]);
    expect(readdirSync(root)).toEqual(["improved"]);
    const manifest = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
    expect(manifest.weightsManifest[0].paths).toEqual(["weights.bin"]);
    const loaded = await loadModel(dir);
    expect(sameArrays(weightValues(loaded), weightValues(model))).toBe(true);
    expect(Array.from(outputs(loaded, set))).toEqual(Array.from(outputs(model, set)));
    expect(frozenLayers(loaded)).toEqual(frozenLayers(model));
    expect(modelInfo(loaded)).toEqual({ normalization: "unit", classNames: ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"] });
  });

  it("a missing file is named in the error", async () => {
    await expect(loadModel(join(root, "nowhere"))).rejects.toThrow(/nowhere\/model\.json is missing/);
  });

  it("cloneModel gives an independent copy", async () => {
    const model = seedConvNet({ seed: 2 });
    const copy = await cloneModel(model);
    expect(sameArrays(weightValues(copy), weightValues(model))).toBe(true);
    copy.getLayer("fc2").setWeights([tf.zeros([128, 10]), tf.zeros([10])]);
    expect(sameArrays(weightValues(copy), weightValues(model))).toBe(false);
  });
});
