/**
 * Loading a folder that holds the four IDX files of an MNIST-style dataset
 * (MNIST, Fashion-MNIST, KMNIST, EMNIST…): train/test images and labels, raw
 * or gzip, checked against each other and optionally against SHA-256 sums.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { IdxFormatError, maybeGunzip, parseIdx, type IdxArray } from "./idx.js";
import { makeDataset, makeImageSet } from "./image-set.js";
import type { Dataset, ImageSet } from "./types.js";

export type FileRole = "trainImages" | "trainLabels" | "testImages" | "testLabels";
export const FILE_ROLES: readonly FileRole[] = ["trainImages", "trainLabels", "testImages", "testLabels"];

/** How each file is recognised: train-images-idx3-ubyte, t10k-labels.idx1-ubyte.gz, emnist-digits-test-images-idx3-ubyte… */
const FILE_PATTERNS: Record<FileRole, RegExp> = {
  trainImages: /(^|[-_.])train[-_.]images[-_.]idx3[-_.]ubyte(\.gz)?$/i,
  trainLabels: /(^|[-_.])train[-_.]labels[-_.]idx1[-_.]ubyte(\.gz)?$/i,
  testImages: /(^|[-_.])(t10k|test)[-_.]images[-_.]idx3[-_.]ubyte(\.gz)?$/i,
  testLabels: /(^|[-_.])(t10k|test)[-_.]labels[-_.]idx1[-_.]ubyte(\.gz)?$/i,
};

export const EXPECTED_FILE_NAMES = "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each optionally .gz)";

/** A file whose bytes differ from the recorded checksum. */
export class ChecksumError extends Error {
  constructor(readonly file: string, readonly algorithm: string, readonly expected: string, readonly actual: string, hint = "") {
    super(`${file}: ${algorithm} checksum mismatch (expected ${expected}, got ${actual}); the file is corrupt or was changed${hint ? `. ${hint}` : ""}`);
    this.name = "ChecksumError";
  }
}

export interface FolderLookup {
  files: Partial<Record<FileRole, string>>;
  missing: FileRole[];
}

/** Finds the four files in `dir` by name; a raw file is preferred to its .gz. */
export function findIdxFiles(dir: string): FolderLookup {
  const names = existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir).filter((n) => !n.startsWith(".")).sort() : [];
  const files: Partial<Record<FileRole, string>> = {};
  const missing: FileRole[] = [];
  for (const role of FILE_ROLES) {
    const matches = names.filter((n) => FILE_PATTERNS[role].test(n));
    const pick = matches.find((n) => !n.endsWith(".gz")) ?? matches[0];
    if (pick) files[role] = join(dir, pick);
    else missing.push(role);
  }
  return { files, missing };
}

export interface FolderLoadOptions {
  /** Dataset name, the prefix of the set names (default: the folder's name). */
  name?: string;
  /** Class names; labels must be below their count (default: "0", "1", … up to the largest label). */
  classNames?: string[];
}

/** Loads a folder holding the four IDX files (raw or gzip). */
export async function loadIdxFolder(dir: string, options: FolderLoadOptions = {}): Promise<Dataset> {
  const { files, missing } = findIdxFiles(dir);
  if (missing.length > 0) {
    throw new Error(`${dir}: no ${missing.map(describeRole).join(", ")} file (expected ${EXPECTED_FILE_NAMES})`);
  }
  return loadIdxFiles(files as Record<FileRole, string>, {
    name: options.name ?? basename(dir),
    classNames: options.classNames,
    source: `folder ${dir}`,
  });
}

export interface FilesLoadOptions {
  name: string;
  classNames?: readonly string[];
  source: string;
  /** SHA-256 of each file as stored; a mismatch is a ChecksumError. */
  sha256?: Partial<Record<FileRole, string>>;
  checksumHint?: string;
}

/** Reads, verifies and pairs the four files. */
export async function loadIdxFiles(files: Record<FileRole, string>, options: FilesLoadOptions): Promise<Dataset> {
  const arrays = await Promise.all(
    FILE_ROLES.map(async (role) => {
      const path = files[role];
      const bytes = await readFile(path);
      const expected = options.sha256?.[role];
      if (expected) {
        const actual = createHash("sha256").update(bytes).digest("hex");
        if (actual !== expected) throw new ChecksumError(path, "SHA-256", expected, actual, options.checksumHint);
      }
      return parseIdx(await maybeGunzip(bytes, path), path);
    }),
  );
  const [trainImages, trainLabels, testImages, testLabels] = arrays;
  const classNames = options.classNames ?? defaultClassNames([trainLabels, testLabels]);
  const train = pairImagesAndLabels(trainImages, trainLabels, `${options.name}/train`, classNames);
  const test = pairImagesAndLabels(testImages, testLabels, `${options.name}/test`, classNames);
  return makeDataset({ name: options.name, train, test, source: options.source });
}

/** Checks that an images file and a labels file belong together, and makes the ImageSet. */
export function pairImagesAndLabels(images: IdxArray, labels: IdxArray, name: string, classNames: readonly string[]): ImageSet {
  if (images.type !== "uint8" || images.dims.length !== 3) {
    throw new IdxFormatError(images.file, `expected uint8 images of rank 3 [count, height, width], found ${images.type} [${images.dims.join(", ")}]`);
  }
  if (labels.type !== "uint8" || labels.dims.length !== 1) {
    throw new IdxFormatError(labels.file, `expected uint8 labels of rank 1 [count], found ${labels.type} [${labels.dims.join(", ")}]`);
  }
  const [count, height, width] = images.dims;
  if (labels.dims[0] !== count) {
    throw new IdxFormatError(labels.file, `${labels.dims[0]} labels, but ${images.file} has ${count} images`);
  }
  const values = labels.data as Uint8Array;
  for (let i = 0; i < count; i++) {
    if (values[i] >= classNames.length) {
      throw new IdxFormatError(labels.file, `label ${values[i]} at index ${i} is out of range for ${classNames.length} classes (0..${classNames.length - 1})`);
    }
  }
  return makeImageSet({ name, images: images.data as Uint8Array, labels: values, count, height, width, classNames });
}

function defaultClassNames(labelArrays: IdxArray[]): string[] {
  let max = 0;
  for (const { data } of labelArrays) for (let i = 0; i < data.length; i++) if (data[i] > max) max = data[i];
  return Array.from({ length: max + 1 }, (_, i) => String(i));
}

export function describeRole(role: FileRole): string {
  return { trainImages: "train images", trainLabels: "train labels", testImages: "test images", testLabels: "test labels" }[role];
}
