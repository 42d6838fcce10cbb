/**
 * Reproducible dropout. A tf.layers Dropout layer with a fixed seed draws the
 * *same* mask every batch, and without one its masks are unrepeatable; so when
 * the run has a seed, each batch gives each Dropout layer a seed derived from
 * the run's seed and the global step.
 */
import type * as tf from "@tensorflow/tfjs";

export function reseedDropout(model: tf.LayersModel, runSeed: number, step: number): void {
  model.layers.forEach((layer, index) => {
    if (layer.getClassName() === "Dropout" || layer.getClassName() === "SpatialDropout1D") {
      (layer as unknown as { seed?: number }).seed = (runSeed * 31 + step * 7919 + index * 104729) % 2147483647;
    }
  });
}
