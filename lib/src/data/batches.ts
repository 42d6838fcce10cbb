/**
 * Turning an ImageSet into tensors. batches() makes one epoch of batches,
 * each converted from uint8 to float32 on its own, so the whole set never
 * exists as floats; toTensors() makes the whole set at once for model.fit.
 * Every tensor made here is handed to the caller, who disposes it.
 */
import * as tf from "@tensorflow/tfjs";
import { randomTransform, transformInto, type AugmentOptions } from "./augment.js";
import { normalizationCoefficients, normalizationTable } from "./normalize.js";
import { mixSeed, permutation, randomSeed, seededRandom } from "./rng.js";
import type { ImageSet, Normalization } from "./types.js";

export type LabelEncoding = "int32" | "onehot";

export interface BatchOptions {
  batchSize: number;
  /** Visit images in a random order (default false: the set's order). */
  shuffle?: boolean;
  /** Seed for shuffling and augmentation (default: random). */
  seed?: number;
  /** Epoch number: the order is reshuffled per epoch from seed + epoch. */
  epoch?: number;
  /** Default "symmetric" ([-1, 1]). */
  normalization?: Normalization;
  /** "int32" class indices [n] (default) or float32 one-hot [n, classes]. */
  labels?: LabelEncoding;
  augment?: AugmentOptions | false;
  /** Leave out a last batch smaller than batchSize. */
  dropRemainder?: boolean;
}

export interface Batch {
  /** [n, height, width, 1] float32 */
  xs: tf.Tensor4D;
  /** int32 [n] or float32 [n, classes] */
  ys: tf.Tensor;
  size: number;
  /** Positions in the set of the images in this batch. */
  indices: Uint32Array;
}

/** Number of batches one epoch yields. */
export function batchCount(set: ImageSet, options: Pick<BatchOptions, "batchSize" | "dropRemainder">): number {
  return options.dropRemainder ? Math.floor(set.count / options.batchSize) : Math.ceil(set.count / options.batchSize);
}

/** One epoch of batches. The consumer disposes each batch's xs and ys. */
export function batches(set: ImageSet, options: BatchOptions): Iterable<Batch> {
  const { batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new RangeError(`batches(${set.name}): batchSize must be a positive integer, got ${batchSize}`);
  const normalization = options.normalization ?? "symmetric";
  normalizationCoefficients(normalization); // fails early on an unknown mode
  const seed = options.seed ?? randomSeed();
  const epoch = options.epoch ?? 0;
  const order = options.shuffle ? permutation(set.count, seededRandom(mixSeed(seed, epoch))) : undefined;
  const augment = options.augment || undefined;
  const count = batchCount(set, options);
  return {
    *[Symbol.iterator]() {
      // Created per iteration, so iterating the same epoch twice gives the same batches.
      const augmentRandom = augment ? seededRandom(mixSeed(augment.seed ?? seed, epoch, 0xa06)) : undefined;
      for (let b = 0; b < count; b++) {
        const start = b * batchSize;
        const end = Math.min(set.count, start + batchSize);
        const indices = new Uint32Array(end - start);
        for (let k = 0; k < indices.length; k++) indices[k] = order ? order[start + k] : start + k;
        yield makeBatch(set, indices, normalization, options.labels ?? "int32", augment, augmentRandom);
      }
    },
  };
}

function makeBatch(
  set: ImageSet, indices: Uint32Array, normalization: Normalization, labels: LabelEncoding,
  augment: AugmentOptions | undefined, random: (() => number) | undefined,
): Batch {
  const pixels = set.height * set.width;
  const n = indices.length;
  const xs = new Float32Array(n * pixels);
  const table = normalizationTable(normalization);
  const { scale, offset } = normalizationCoefficients(normalization);
  for (let k = 0; k < n; k++) {
    const from = indices[k] * pixels;
    if (augment && random) {
      transformInto(set.images, from, set.height, set.width, randomTransform(augment, random), scale, offset, xs, k * pixels);
    } else {
      for (let p = 0, at = k * pixels; p < pixels; p++) xs[at + p] = table[set.images[from + p]];
    }
  }
  return {
    xs: tf.tensor4d(xs, [n, set.height, set.width, 1], "float32"),
    ys: labelTensor(set, indices, labels),
    size: n,
    indices,
  };
}

function labelTensor(set: ImageSet, indices: ArrayLike<number>, encoding: LabelEncoding): tf.Tensor {
  const n = indices.length;
  if (encoding === "int32") {
    const ys = new Int32Array(n);
    for (let k = 0; k < n; k++) ys[k] = set.labels[indices[k]];
    return tf.tensor1d(ys, "int32");
  }
  if (encoding !== "onehot") throw new Error(`unknown label encoding "${String(encoding)}" (expected "int32" or "onehot")`);
  const classes = set.classNames.length;
  const ys = new Float32Array(n * classes);
  for (let k = 0; k < n; k++) ys[k * classes + set.labels[indices[k]]] = 1;
  return tf.tensor2d(ys, [n, classes], "float32");
}

/**
 * The whole set as tensors (one float32 copy of the images), e.g. for
 * model.fit. The caller owns and disposes xs and ys.
 */
export function toTensors(
  set: ImageSet,
  options: { normalization?: Normalization; labels?: LabelEncoding } = {},
): { xs: tf.Tensor4D; ys: tf.Tensor } {
  const normalization = options.normalization ?? "symmetric";
  const table = normalizationTable(normalization);
  const images = set.images;
  const xs = new Float32Array(images.length);
  for (let i = 0, n = images.length; i < n; i++) xs[i] = table[images[i]];
  const indices = new Uint32Array(set.count);
  for (let i = 0; i < set.count; i++) indices[i] = i;
  return {
    xs: tf.tensor4d(xs, [set.count, set.height, set.width, 1], "float32"),
    ys: labelTensor(set, indices, options.labels ?? "int32"),
  };
}
