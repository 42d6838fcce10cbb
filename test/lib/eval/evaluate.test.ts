import * as tf from "@tensorflow/tfjs";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImageSet } from "../../../lib/src/data/types.js";
import { DISPLAY } from "../../../lib/src/display/bundle.js";
import { evaluate } from "../../../lib/src/eval/evaluate.js";
import { argmaxRows, confusionMatrix, perClassMetrics } from "../../../lib/src/eval/metrics.js";
import { predict } from "../../../lib/src/eval/predict.js";
import { seedConvNet } from "../../../lib/src/model/architectures.js";
import { train } from "../../../lib/src/train/train.js";
import { backend, outputs, tinyTest, tinyTrain } from "../train/helpers.js";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { encode } = require("fast-png") as { encode(i: { width: number; height: number; data: Uint8Array; channels: number; depth: number }): Uint8Array };

let test: ImageSet;
let model: tf.LayersModel;
const dir = mkdtempSync(join(tmpdir(), "mnist-lab-eval-"));

beforeAll(async () => {
  await backend();
  test = await tinyTest(5);
  model = seedConvNet({ seed: 1 });
  await train(model, await tinyTrain(20), { epochs: 2, seed: 1, progress: false });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("metrics", () => {
  it("confusion matrix and per-class precision/recall/F1 match hand-computed values", () => {
    // true:      0 0 0 1 1 2
    // predicted: 0 0 1 1 2 2
    const m = confusionMatrix([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], 3);
    expect(m).toEqual([[2, 1, 0], [0, 1, 1], [0, 0, 1]]);
    const [c0, c1, c2] = perClassMetrics(m, ["a", "b", "c"]);
    expect(c0).toMatchObject({ className: "a", precision: 1, recall: 2 / 3, support: 3 });
    expect(c0.f1).toBeCloseTo(0.8, 12); // 2·1·(2/3)/(1+2/3)
    expect(c1).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(c2).toMatchObject({ precision: 0.5, recall: 1, support: 1 });
    expect(c2.f1).toBeCloseTo(2 / 3, 12);
    expect(perClassMetrics([[1, 0], [1, 0]], ["x", "y"])[1]).toMatchObject({ precision: 0, recall: 0, f1: 0 });
    expect(() => confusionMatrix([0, 3], [0, 0], 3)).toThrow(/item 1 has label 3/);
  });
});

describe("evaluate", () => {
  it("agrees with the model's own outputs: accuracy, confusion matrix, mistakes", async () => {
    const ev = await evaluate(model, test);
    const predicted = argmaxRows(outputs(model, test), 10);
    let correct = 0;
    predicted.forEach((p, i) => (correct += p === test.labels[i] ? 1 : 0));
    expect(ev.accuracy).toBeCloseTo(correct / test.count, 10);
    expect(Array.from(ev.predictions)).toEqual(Array.from(predicted));
    expect(ev.confusion.flat().reduce((a, b) => a + b, 0)).toBe(test.count);
    expect(ev.confusion.reduce((s, row, i) => s + row[i], 0)).toBe(correct);
    expect(ev.mistakes.length).toBe(Math.min(20, test.count - correct));
    for (let k = 1; k < ev.mistakes.length; k++) expect(ev.mistakes[k - 1].confidence).toBeGreaterThanOrEqual(ev.mistakes[k].confidence);
    for (const m of ev.mistakes) expect(m.predicted).not.toBe(m.label);
    expect(ev.loss).toBeGreaterThan(0);
    const bundle = ev[DISPLAY]();
    expect(bundle["text/plain"]).toMatch(/accuracy \d+\.\d\d%/);
    expect(bundle["text/html"]).toContain("<svg");
    expect(bundle["text/html"]).toContain("data:image/png;base64,");
    expect(ev.perClassTable()[DISPLAY]()["text/html"]).toContain("<table");
    expect(ev.confusionChart()[DISPLAY]()["application/vnd.vegalite.v5+json"]).toBeDefined();
  });
});

describe("predict", () => {
  it("gives class probabilities for a 28×28 array, the same as for the set's image", async () => {
    const size = 28 * 28;
    const pixels = test.images.slice(0, size);
    const rows = Array.from({ length: 28 }, (_, r) => Array.from(pixels.subarray(r * 28, (r + 1) * 28)));
    const p = await predict(model, rows);
    expect(p.probabilities).toHaveLength(10);
    expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const expected = tf.tidy(() => tf.softmax(tf.tensor(outputs(model, test).slice(0, 10))).dataSync());
    p.probabilities.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    expect(p.className).toBe(String(p.label));
    expect(p[DISPLAY]()["text/html"]).toContain("data:image/png;base64,");
    await expect(predict(model, [[1, 2], [3, 4]])).rejects.toThrow(/2×2 \(rows×columns\) but the model takes 28×28/);
  });

  it("reads a PNG file, inverting a dark digit on a light background and resizing it", async () => {
    const pixels = test.images.slice(0, 28 * 28);
    const direct = await predict(model, pixels);
    // 56×56 dark-on-light RGB version of the same digit
    const big = new Uint8Array(56 * 56 * 3);
    for (let y = 0; y < 56; y++) for (let x = 0; x < 56; x++) big.fill(255 - pixels[(y >> 1) * 28 + (x >> 1)], (y * 56 + x) * 3, (y * 56 + x) * 3 + 3);
    const path = join(dir, "digit.png");
    writeFileSync(path, encode({ width: 56, height: 56, data: big, channels: 3, depth: 8 }));
    const fromPng = await predict(model, path);
    expect(fromPng.notes.join(" ")).toMatch(/inverted.*resized from 56×56/);
    expect(Array.from(fromPng.pixels)).toEqual(Array.from(pixels));
    expect(fromPng.label).toBe(direct.label);
    writeFileSync(join(dir, "bad.png"), "not a png");
    await expect(predict(model, join(dir, "bad.png"))).rejects.toThrow(/bad\.png is not a readable PNG/);
  });
});
