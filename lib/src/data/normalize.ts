/**
 * Pixel normalization. Every mode is linear in the grey level, so it is a
 * scale and an offset, and a 256-entry table makes converting uint8 cheap.
 */
import type { Normalization } from "./types.js";

/** MNIST training-set mean and standard deviation of pixels in [0, 1]. */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

export const NORMALIZATIONS: readonly Normalization[] = ["unit", "symmetric", "standard"];

/** value = grey × scale + offset */
export function normalizationCoefficients(mode: Normalization): { scale: number; offset: number } {
  switch (mode) {
    case "unit":
      return { scale: 1 / 255, offset: 0 };
    case "symmetric":
      return { scale: 2 / 255, offset: -1 };
    case "standard":
      return { scale: 1 / (255 * MNIST_STD), offset: -MNIST_MEAN / MNIST_STD };
    default:
      throw new Error(`unknown normalization "${String(mode)}" (expected one of ${NORMALIZATIONS.join(", ")})`);
  }
}

const tables = new Map<Normalization, Float32Array>();

/** The normalized value of each grey level 0..255. */
export function normalizationTable(mode: Normalization): Float32Array {
  let table = tables.get(mode);
  if (!table) {
    const { scale, offset } = normalizationCoefficients(mode);
    table = new Float32Array(256);
    for (let g = 0; g < 256; g++) table[g] = g * scale + offset;
    tables.set(mode, table);
  }
  return table;
}

/** Normalizes grey levels into a new Float32Array (or into `out`, from `outOffset`). */
export function normalizePixels(images: Uint8Array, mode: Normalization, out?: Float32Array, outOffset = 0): Float32Array {
  const table = normalizationTable(mode);
  const target = out ?? new Float32Array(images.length);
  for (let i = 0, n = images.length; i < n; i++) target[outOffset + i] = table[images[i]];
  return target;
}
