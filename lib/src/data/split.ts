/**
 * Choosing images: subsets, stratified train/validation splits, class
 * selection and few-labels-per-class samples. Each returns a new ImageSet
 * with its own bytes (a compact copy of the chosen images).
 */
import { classCounts, makeImageSet } from "./image-set.js";
import { randomSeed, seededRandom, shuffleInPlace } from "./rng.js";
import type { ImageSet } from "./types.js";

export { classCounts };

/** The images at `indices`, in that order. */
export function subset(set: ImageSet, indices: ArrayLike<number>, name?: string): ImageSet {
  const pixels = set.height * set.width;
  const images = new Uint8Array(indices.length * pixels);
  const labels = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= set.count) {
      throw new RangeError(`subset of ${set.name}: index ${i} at position ${k} is outside 0..${set.count - 1}`);
    }
    images.set(set.images.subarray(i * pixels, (i + 1) * pixels), k * pixels);
    labels[k] = set.labels[i];
  }
  return makeImageSet({
    name: name ?? `${set.name}[${indices.length} of ${set.count}]`,
    images, labels, height: set.height, width: set.width, classNames: set.classNames,
  });
}

/** Indices of each class, in order. */
export function indicesByClass(set: ImageSet): Uint32Array[] {
  const counts = classCounts(set);
  const groups = counts.map((n) => new Uint32Array(n));
  const filled = new Array<number>(counts.length).fill(0);
  for (let i = 0; i < set.count; i++) {
    const c = set.labels[i];
    groups[c][filled[c]++] = i;
  }
  return groups;
}

/**
 * A stratified, seeded split: every class gives the same share to validation.
 * `validation` is a fraction (0 < v < 1) or a number of images (e.g. 5000).
 */
export function splitTrainValidation(
  set: ImageSet,
  options: { validation: number; seed?: number },
): { train: ImageSet; validation: ImageSet } {
  const v = options.validation;
  const wanted = v > 0 && v < 1 ? Math.round(v * set.count) : v;
  if (!Number.isInteger(wanted) || wanted <= 0 || wanted >= set.count) {
    throw new RangeError(`splitTrainValidation(${set.name}): validation must be a fraction in (0, 1) or a count in 1..${set.count - 1}, got ${v}`);
  }
  const random = seededRandom(options.seed ?? 0);
  const groups = indicesByClass(set);
  const quotas = largestRemainder(groups.map((g) => g.length), wanted);
  const inValidation = new Uint8Array(set.count);
  groups.forEach((group, c) => {
    shuffleInPlace(group, random);
    for (let k = 0; k < quotas[c]; k++) inValidation[group[k]] = 1;
  });
  const trainIdx: number[] = [];
  const validIdx: number[] = [];
  for (let i = 0; i < set.count; i++) (inValidation[i] ? validIdx : trainIdx).push(i);
  return {
    train: subset(set, trainIdx, `${set.name}[train]`),
    validation: subset(set, validIdx, `${set.name}[validation]`),
  };
}

/** Splits `total` over groups in proportion to their sizes, summing exactly to total. */
function largestRemainder(sizes: number[], total: number): number[] {
  const all = sizes.reduce((a, b) => a + b, 0);
  const exact = sizes.map((s) => (s * total) / all);
  const quotas = exact.map(Math.floor);
  let left = total - quotas.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    if (quotas[i] < sizes[i]) {
      quotas[i]++;
      left--;
    }
  }
  return quotas;
}

/**
 * Only the images of `classes`. With relabel (the default) labels become
 * positions in `classes` (digits 5–9 → 0–4) and classNames follow, so
 * class 0 is still named "5".
 */
export function selectClasses(set: ImageSet, classes: number[], options: { relabel?: boolean } = {}): ImageSet {
  const relabel = options.relabel ?? true;
  const position = new Int16Array(256).fill(-1);
  classes.forEach((c, k) => {
    if (!Number.isInteger(c) || c < 0 || c >= set.classNames.length) {
      throw new RangeError(`selectClasses(${set.name}): class ${c} is not in 0..${set.classNames.length - 1}`);
    }
    if (position[c] !== -1) throw new RangeError(`selectClasses(${set.name}): class ${c} is listed twice`);
    position[c] = k;
  });
  const chosen: number[] = [];
  for (let i = 0; i < set.count; i++) if (position[set.labels[i]] !== -1) chosen.push(i);
  const picked = subset(set, chosen, `${set.name}[${describeClasses(classes)}]`);
  if (!relabel) return picked;
  const labels = picked.labels;
  for (let i = 0; i < labels.length; i++) labels[i] = position[labels[i]];
  return makeImageSet({ ...picked, labels, classNames: classes.map((c) => set.classNames[c]) });
}

function describeClasses(classes: number[]): string {
  const contiguous = classes.every((c, k) => k === 0 || c === classes[k - 1] + 1);
  return contiguous && classes.length > 2 ? `${classes[0]}-${classes[classes.length - 1]}` : classes.join(",");
}

/** `perClass` images of every class, chosen at random from a seed (e.g. 50 labels per class). */
export function takePerClass(set: ImageSet, perClass: number, seed?: number): ImageSet {
  if (!Number.isInteger(perClass) || perClass <= 0) throw new RangeError(`takePerClass(${set.name}): perClass must be a positive integer, got ${perClass}`);
  const random = seededRandom(seed ?? randomSeed());
  const chosen: number[] = [];
  indicesByClass(set).forEach((group, c) => {
    if (group.length === 0) return; // a class absent from this set (e.g. after selectClasses without relabel)
    if (group.length < perClass) {
      throw new RangeError(`takePerClass(${set.name}): class ${c} (${set.classNames[c]}) has only ${group.length} images, ${perClass} requested`);
    }
    shuffleInPlace(group, random);
    for (let k = 0; k < perClass; k++) chosen.push(group[k]);
  });
  chosen.sort((a, b) => a - b);
  return subset(set, chosen, `${set.name}[${perClass}/class]`);
}
