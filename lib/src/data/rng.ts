/**
 * Small seeded random numbers (mulberry32) so splits, shuffles and
 * augmentation are reproducible from a seed, independent of Math.random.
 */
export type Random = () => number;

/** Mixes several integers (e.g. seed and epoch) into one 32-bit seed. */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** A generator of floats in [0, 1), seeded after mixing (nearby seeds give unrelated streams). */
export function seededRandom(seed: number): Random {
  return mulberry32(mixSeed(seed));
}

/** mulberry32 started from `state` as given. */
export function mulberry32(state: number): Random {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed for callers that gave none. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 32);
}

/** Fisher–Yates shuffle in place. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(array: T, random: Random): T {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}

/** 0..n-1 in a seeded random order. */
export function permutation(n: number, random: Random): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return shuffleInPlace(order, random);
}
