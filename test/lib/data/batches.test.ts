import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { batchCount, batches, toTensors } from "../../../lib/src/data/batches.js";
import { makeImageSet } from "../../../lib/src/data/image-set.js";
import { MNIST_MEAN, MNIST_STD, normalizePixels } from "../../../lib/src/data/normalize.js";
import type { ImageSet } from "../../../lib/src/data/types.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** 103 images of 28×28: image i has every pixel = i, label i % 10. */
function numbered(count = 103): ImageSet {
  const images = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    images.fill(i, i * 784, (i + 1) * 784);
    labels[i] = i % 10;
  }
  return makeImageSet({ name: "numbered", images, labels, height: 28, width: 28, classNames: "0123456789".split("") });
}

describe("normalizePixels", () => {
  it("maps grey levels for unit, symmetric and standard", () => {
    const grey = Uint8Array.from([0, 51, 255]);
    const close = (a: Float32Array, b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));
    close(normalizePixels(grey, "unit"), [0, 0.2, 1]);
    close(normalizePixels(grey, "symmetric"), [-1, -0.6, 1]);
    close(normalizePixels(grey, "standard"), [-MNIST_MEAN / MNIST_STD, (0.2 - MNIST_MEAN) / MNIST_STD, (1 - MNIST_MEAN) / MNIST_STD]);
    expect(() => normalizePixels(grey, "minmax" as never)).toThrow(/unknown normalization "minmax"/);
  });
});

describe("batches", () => {
  it("yields [n,28,28,1] float32 images and int32 labels in order, the last batch smaller", () => {
    const set = numbered();
    const seen: number[] = [];
    let count = 0;
    for (const batch of batches(set, { batchSize: 32, normalization: "unit" })) {
      expect(batch.xs.shape).toEqual([batch.size, 28, 28, 1]);
      expect(batch.xs.dtype).toBe("float32");
      expect(batch.ys.dtype).toBe("int32");
      const xs = batch.xs.dataSync();
      const ys = batch.ys.dataSync();
      batch.indices.forEach((index, k) => {
        expect(xs[k * 784 + 300]).toBeCloseTo(index / 255, 6);
        expect(ys[k]).toBe(index % 10);
      });
      seen.push(...batch.indices);
      batch.xs.dispose();
      batch.ys.dispose();
      count++;
    }
    expect(count).toBe(4);
    expect(seen).toEqual(Array.from({ length: 103 }, (_, i) => i));
    expect(batchCount(set, { batchSize: 32, dropRemainder: true })).toBe(3);
    expect(Array.from(batches(set, { batchSize: 32, dropRemainder: true })).map((b) => (tf.dispose([b.xs, b.ys]), b.size))).toEqual([32, 32, 32]);
  });

  it("one-hot labels are float32 [n, classes]; symmetric is the default normalization", () => {
    const [batch] = batches(numbered(), { batchSize: 4, labels: "onehot" });
    expect(batch.ys.shape).toEqual([4, 10]);
    expect(batch.ys.dtype).toBe("float32");
    expect(Array.from(batch.ys.dataSync().subarray(10, 20))).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(batch.xs.dataSync()[0]).toBeCloseTo(-1, 6); // image 0 is all zeros
    tf.dispose([batch.xs, batch.ys]);
  });

  it("shuffles reproducibly from seed + epoch, a different order each epoch, every image once", () => {
    const set = numbered();
    const order = (seed: number, epoch: number) =>
      Array.from(batches(set, { batchSize: 50, shuffle: true, seed, epoch })).flatMap((b) => (tf.dispose([b.xs, b.ys]), Array.from(b.indices)));
    const e0 = order(1, 0);
    expect(order(1, 0)).toEqual(e0);
    expect(order(1, 1)).not.toEqual(e0);
    expect(order(2, 0)).not.toEqual(e0);
    expect([...e0].sort((a, b) => a - b)).toEqual(Array.from({ length: 103 }, (_, i) => i));
  });

  it("leaks no tensors over 10 epochs (batches and toTensors)", () => {
    const set = numbered(1000);
    const before = tf.memory().numTensors;
    for (let epoch = 0; epoch < 10; epoch++) {
      for (const batch of batches(set, { batchSize: 64, shuffle: true, seed: 5, epoch, augment: { maxShift: 2, maxRotationDeg: 10 } })) {
        expect(tf.memory().numTensors).toBe(before + 2);
        batch.xs.dispose();
        batch.ys.dispose();
      }
    }
    const { xs, ys } = toTensors(set, { labels: "onehot" });
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([xs, ys]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("toTensors gives the whole set, normalized", () => {
    const { xs, ys } = toTensors(numbered(20), { normalization: "unit" });
    expect(xs.shape).toEqual([20, 28, 28, 1]);
    expect(xs.dataSync()[19 * 784 + 5]).toBeCloseTo(19 / 255, 6);
    expect(Array.from(ys.dataSync().subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    tf.dispose([xs, ys]);
  });
});

describe("augmentation", () => {
  /** One image with a single bright pixel at (row 10, col 12). */
  function dot(): ImageSet {
    const images = new Uint8Array(784);
    images[10 * 28 + 12] = 255;
    return makeImageSet({ name: "dot", images, labels: Uint8Array.of(3), height: 28, width: 28, classNames: "0123456789".split("") });
  }
  const brightest = (values: Float32Array | Int32Array | Uint8Array) => {
    let best = 0;
    values.forEach((v, i) => { if (v > values[best]) best = i; });
    return [Math.floor(best / 28), best % 28];
  };
  const augmented = (set: ImageSet, augment: { maxShift?: number; maxRotationDeg?: number; seed?: number }, epoch = 0) => {
    const [batch] = batches(set, { batchSize: 1, normalization: "unit", augment, epoch });
    const values = Float32Array.from(batch.xs.dataSync());
    tf.dispose([batch.xs, batch.ys]);
    return values;
  };

  it("with no shift and no rotation is the identity; the same epoch iterated twice is the same", () => {
    const set = dot();
    const epoch = batches(set, { batchSize: 1, augment: { maxShift: 2, maxRotationDeg: 10 }, seed: 1 });
    const twice = [0, 1].map(() => Array.from(epoch).map((b) => { const v = Array.from(b.xs.dataSync()); tf.dispose([b.xs, b.ys]); return v; }));
    expect(twice[0]).toEqual(twice[1]);
    const values = augmented(dot(), { maxShift: 0, maxRotationDeg: 0, seed: 1 });
    expect(Array.from(values)).toEqual(Array.from(normalizePixels(dot().images, "unit")));
  });

  it("shifts by whole pixels within maxShift, seeded, varying per epoch", () => {
    const positions = new Set<string>();
    for (let epoch = 0; epoch < 30; epoch++) {
      const values = augmented(dot(), { maxShift: 2, maxRotationDeg: 0, seed: 9 }, epoch);
      const [row, col] = brightest(values);
      expect(Math.abs(row - 10)).toBeLessThanOrEqual(2);
      expect(Math.abs(col - 12)).toBeLessThanOrEqual(2);
      expect(Array.from(values).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5); // moved, not blurred
      positions.add(`${row},${col}`);
    }
    expect(positions.size).toBeGreaterThan(5);
    expect(Array.from(augmented(dot(), { maxShift: 2, seed: 9 }, 3))).toEqual(Array.from(augmented(dot(), { maxShift: 2, seed: 9 }, 3)));
  });

  it("rotates about the centre by at most maxRotationDeg, seeded", () => {
    // A dot 11.5 px right of the centre (13.5, 13.5): a rotation of θ moves it about 11.5·sin θ px up or down.
    const images = new Uint8Array(784);
    images[13 * 28 + 25] = 255;
    const right = makeImageSet({ name: "right", images, labels: Uint8Array.of(0), height: 28, width: 28, classNames: ["0"] });
    const rows = new Set<number>();
    for (let epoch = 0; epoch < 20; epoch++) {
      const [row, col] = brightest(augmented(right, { maxShift: 0, maxRotationDeg: 15, seed: 4 }, epoch));
      expect(Math.abs(row - 13.5)).toBeLessThanOrEqual(11.5 * Math.sin((15 * Math.PI) / 180) + 1);
      expect(col).toBeGreaterThanOrEqual(23);
      rows.add(row);
    }
    expect(rows.size).toBeGreaterThanOrEqual(4); // it really rotates, by varying angles both ways
    expect([...rows].some((r) => r < 13) && [...rows].some((r) => r > 14)).toBe(true);
  });

  it("stays near its place for a dot close to the centre", () => {
    // (row 10, col 12) is 3.5 px above and 1.5 px left of the centre (13.5, 13.5): radius ≈ 3.8 px,
    // so a 15° rotation moves it by at most ~1 px.
    for (let epoch = 0; epoch < 10; epoch++) {
      const [row, col] = brightest(augmented(dot(), { maxShift: 0, maxRotationDeg: 15, seed: 4 }, epoch));
      expect(Math.hypot(row - 10, col - 12)).toBeLessThanOrEqual(1.5);
    }
  });
});
