import * as tf from "@tensorflow/tfjs";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImageSet } from "../../../lib/src/data/types.js";
import { improvedConvNet, mlpBaseline, seedConvNet } from "../../../lib/src/model/architectures.js";
import { loadCheckpoint } from "../../../lib/src/train/checkpoint.js";
import { resumeTraining } from "../../../lib/src/train/resume.js";
import { train, TrainingDivergedError } from "../../../lib/src/train/train.js";
import { DISPLAY } from "../../../lib/src/display/bundle.js";
import { backend, outputs, sameArrays, tinyTest, tinyTrain, weightValues } from "./helpers.js";

let data: ImageSet;
let validation: ImageSet;
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "mnist-lab-train-"));
  dirs.push(dir);
  return dir;
};
const quiet = { progress: false } as const;

beforeAll(async () => {
  await backend();
  data = await tinyTrain(8); // 80 images: 3 batches of 32
  validation = await tinyTest(3);
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("train", () => {
  it("runs the seed recipe and records per-batch and per-epoch loss, accuracy, timings", async () => {
    const model = seedConvNet({ seed: 1 });
    const history = await train(model, data, { epochs: 2, seed: 1, validation, ...quiet });
    expect(history.batches).toHaveLength(6);
    expect(history.batches.map((b) => b.step)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(history.batches[0].lr).toBe(0.01);
    expect(history.epochs).toHaveLength(2);
    const last = history.epochs[1];
    expect(last.valAccuracy).toBeGreaterThanOrEqual(0);
    expect(last.valLoss).toBeGreaterThan(0);
    expect(last.seconds).toBeGreaterThan(0);
    expect(history.recipe).toContain("SGD lr 0.01 momentum 0.9, batch 32");
    expect(history.interrupted).toBe(false);
    const bundle = history[DISPLAY]();
    expect(bundle["application/vnd.vegalite.v5+json"]).toBeDefined();
    expect(bundle["text/plain"]).toContain("2 epoch(s)");
  });

  it("same seed, same backend: same initial weights, batch order and loss curve", async () => {
    const run = async (seed: number) => {
      const model = improvedConvNet({ seed }); // has dropout and batch norm
      const initial = weightValues(model);
      const seen: number[] = [];
      const history = await train(model, data, {
        epochs: 1, seed, batchSize: 16, ...quiet, optimizer: { type: "adam", lr: 1e-3 },
        callbacks: { onBatchEnd: (b) => void seen.push(b.loss) },
      });
      return { initial, losses: history.batches.map((b) => b.loss), final: weightValues(model), seen };
    };
    const a = await run(5);
    const b = await run(5);
    const c = await run(6);
    expect(sameArrays(a.initial, b.initial)).toBe(true);
    expect(a.losses).toEqual(b.losses);
    expect(sameArrays(a.final, b.final)).toBe(true);
    expect(a.losses).toEqual(a.seen);
    expect(a.losses).not.toEqual(c.losses);
  });

  it("an aborted signal stops at the next batch boundary, keeping weights and history", async () => {
    const model = seedConvNet({ seed: 2 });
    const initial = weightValues(model);
    const controller = new AbortController();
    const history = await train(model, data, {
      epochs: 3, seed: 2, ...quiet, signal: controller.signal,
      callbacks: { onBatchEnd: (b) => void (b.step === 3 ? controller.abort() : undefined) },
    });
    expect(history.interrupted).toBe(true);
    expect(history.batches).toHaveLength(4); // steps 0..3, then stopped before step 4
    expect(history.epochs).toHaveLength(1);
    expect(history.stopReason).toMatch(/interrupted at epoch 2, batch 2/);
    expect(history[DISPLAY]()["text/plain"]).toContain("interrupted");
    const after = weightValues(model);
    expect(sameArrays(after, initial)).toBe(false);
    expect(after.every((w) => w.every(Number.isFinite))).toBe(true);
    // the interrupted model still predicts
    expect(outputs(model, validation).length).toBe(validation.count * 10);
  });

  it("a NaN loss stops training with a message naming the learning rate", async () => {
    const model = mlpBaseline({ seed: 1 });
    const error = await train(model, data, { epochs: 5, seed: 1, lr: 1e30, ...quiet }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect((error as Error).message).toMatch(/loss became (NaN|Infinity).*learning rate too high.*lr = 1e\+30/);
    const history = (error as TrainingDivergedError).history;
    expect(history.epochs.length).toBeLessThan(5);
  });

  it("early stopping ends the run when the monitored value stops improving", async () => {
    const model = mlpBaseline({ seed: 1 });
    const history = await train(model, data, {
      epochs: 30, seed: 1, ...quiet, validation,
      earlyStopping: { monitor: "valLoss", patience: 2, restoreBest: true },
    });
    expect(history.epochs.length).toBeLessThan(30);
    expect(history.stopReason).toMatch(/early stopping after epoch \d+: valLoss did not improve for 2 epoch/);
    const losses = history.epochs.map((e) => e.valLoss!);
    const best = Math.min(...losses);
    expect(losses.indexOf(best)).toBe(losses.length - 3);
    // the best epoch's weights are back
    const { inferencePass } = await import("../../../lib/src/eval/pass.js");
    expect((await inferencePass(model, validation)).loss).toBeCloseTo(best, 5);
  });

  it("leaves no tensors behind (batches, gradients, optimizer state, validation)", async () => {
    const model = improvedConvNet({ seed: 1 });
    await train(model, data, { epochs: 1, seed: 1, batchSize: 40, ...quiet }); // warm-up: lazily created state
    const before = tf.memory().numTensors;
    await train(model, data, { epochs: 2, seed: 1, batchSize: 40, validation, ...quiet, earlyStopping: { patience: 5 } });
    expect(tf.memory().numTensors).toBe(before);
  });

  it("an L2 penalty (improvedConvNet({ l2 })) is added to the training loss", async () => {
    const firstLoss = async (l2?: number) => {
      const history = await train(improvedConvNet({ seed: 1, l2 }), data, { epochs: 1, seed: 1, batchSize: 80, ...quiet });
      return history.batches[0].loss;
    };
    const plain = await firstLoss();
    const penalized = await firstLoss(0.01);
    expect(penalized).toBeGreaterThan(plain + 0.01);
  });

  it("a learning-rate schedule sets each epoch's rate", async () => {
    const model = mlpBaseline({ seed: 1 });
    const history = await train(model, data, { epochs: 3, seed: 1, ...quiet, schedule: { type: "step", every: 1, factor: 0.5 } });
    const lrs = [...new Set(history.batches.map((b) => b.lr))];
    expect(lrs).toEqual([0.01, 0.005, 0.0025]);
  });
});

describe("checkpoints", () => {
  it("round trip: a loaded checkpoint predicts exactly as the saved model", async () => {
    const dir = join(tempDir(), "ckpt");
    const model = seedConvNet({ seed: 3 });
    await train(model, data, { epochs: 1, seed: 3, ...quiet, checkpoint: { dir } });
    expect(readdirSync(dir).sort()).toEqual(["model.json", "optimizer.bin", "optimizer.json", "training.json", "weights.bin"]);
    expect(readdirSync(join(dir, "..")).filter((n) => n.includes(".tmp-") || n.includes(".old-"))).toEqual([]);
    const checkpoint = await loadCheckpoint(dir);
    expect(Array.from(outputs(checkpoint.model, validation))).toEqual(Array.from(outputs(model, validation)));
    expect(checkpoint.nextEpoch).toBe(1);
    expect(checkpoint.history.batches).toHaveLength(3);
    const state = await checkpoint.optimizer.getWeights();
    expect(state.length).toBe(1 + model.trainableWeights.length); // iterations + one momentum per variable
  });

  it("resuming from a checkpoint continues the run exactly (same weights as training straight through)", async () => {
    const straight = seedConvNet({ seed: 4 });
    await train(straight, data, { epochs: 2, seed: 4, ...quiet });
    const dir = join(tempDir(), "ckpt");
    const first = seedConvNet({ seed: 4 });
    await train(first, data, { epochs: 1, seed: 4, ...quiet, checkpoint: { dir } });
    const { model, history } = await resumeTraining(dir, data, { epochs: 2, ...quiet });
    expect(history.epochs.map((e) => e.epoch)).toEqual([0, 1]);
    expect(history.batches).toHaveLength(6);
    const a = weightValues(straight);
    const b = weightValues(model);
    let maxDiff = 0;
    a.forEach((w, i) => w.forEach((v, k) => (maxDiff = Math.max(maxDiff, Math.abs(v - b[i][k])))));
    expect(maxDiff).toBeLessThan(1e-6);
  });

  it("a truncated weights file fails to load with a message naming the file", async () => {
    const dir = join(tempDir(), "ckpt");
    const model = mlpBaseline({ seed: 1 });
    await train(model, data, { epochs: 1, seed: 1, ...quiet, checkpoint: { dir } });
    const { truncateSync } = await import("node:fs");
    truncateSync(join(dir, "weights.bin"), 100);
    await expect(loadCheckpoint(dir)).rejects.toThrow(/weights\.bin holds 100 bytes but its manifest describes 407080/);
  });
});

afterAll(() => {
  tf.disposeVariables();
});
