/**
 * Seeding tf.layers initializers after the fact. tf.layers draws each layer's
 * initial weights from its initializer's own seed (unset by default, so each
 * run differs). Giving every layer a seed derived from one model seed makes
 * the same seed give the same initial weights on the same backend.
 */
import type * as tf from "@tensorflow/tfjs";

const INITIALIZER_FIELDS = [
  "kernelInitializer",
  "biasInitializer",
  "depthwiseInitializer",
  "pointwiseInitializer",
  "embeddingsInitializer",
  "recurrentInitializer",
  "gammaInitializer",
  "betaInitializer",
] as const;

/** A per-layer seed: distinct for each layer index, stable across runs. */
export function layerSeed(modelSeed: number, layerIndex: number, salt = 0): number {
  return (modelSeed * 1009 + layerIndex * 7919 + salt * 104729) % 2147483647;
}

/**
 * Sets the seed of every random initializer of a not-yet-built layer that has
 * none (an initializer the user seeded explicitly is left alone).
 */
export function seedLayer(layer: tf.layers.Layer, modelSeed: number, layerIndex: number): void {
  if (layer.built) return;
  const fields = layer as unknown as Record<string, unknown>;
  INITIALIZER_FIELDS.forEach((field, salt) => {
    const init = fields[field] as { seed?: number | null } | undefined;
    if (init && typeof init === "object" && "seed" in init && (init.seed === undefined || init.seed === null)) {
      init.seed = layerSeed(modelSeed, layerIndex, salt);
    }
  });
}
