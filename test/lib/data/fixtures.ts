/** Tiny IDX datasets written to temp folders for the data tests. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { encodeIdx } from "../../../lib/src/data/idx.js";

export function tempDir(prefix = "mnist-lab-data-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TinySplit {
  images: Uint8Array;
  labels: Uint8Array;
}

/** `count` images of h×w whose first pixel is the index and the rest the label × 10; labels cycle 0..classes-1. */
export function tinySplit(count: number, classes = 10, h = 4, w = 3): TinySplit {
  const images = new Uint8Array(count * h * w);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % classes;
    images.fill(labels[i] * 10, i * h * w, (i + 1) * h * w);
    images[i * h * w] = i % 256;
  }
  return { images, labels };
}

export const FILE_NAMES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
} as const;

/** The four IDX files' bytes (optionally gzip) for a tiny dataset. */
export function tinyDatasetFiles(options: { train?: number; test?: number; h?: number; w?: number; gzip?: boolean } = {}): Record<string, Uint8Array> {
  const h = options.h ?? 4;
  const w = options.w ?? 3;
  const train = tinySplit(options.train ?? 40, 10, h, w);
  const test = tinySplit(options.test ?? 20, 10, h, w);
  const files: Record<string, Uint8Array> = {
    [FILE_NAMES.trainImages]: encodeIdx("uint8", [train.labels.length, h, w], train.images),
    [FILE_NAMES.trainLabels]: encodeIdx("uint8", [train.labels.length], train.labels),
    [FILE_NAMES.testImages]: encodeIdx("uint8", [test.labels.length, h, w], test.images),
    [FILE_NAMES.testLabels]: encodeIdx("uint8", [test.labels.length], test.labels),
  };
  if (!options.gzip) return files;
  return Object.fromEntries(Object.entries(files).map(([name, bytes]) => [`${name}.gz`, new Uint8Array(gzipSync(bytes))]));
}

export function writeFiles(dir: string, files: Record<string, Uint8Array>): void {
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
}
