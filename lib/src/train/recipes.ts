/**
 * Recipes: the hyper-parameters of a training run as plain data, so they are
 * named, printed, stored in checkpoints and compared.
 */
import type { AugmentOptions } from "../data/augment.js";
import type { Normalization } from "../data/types.js";
import type { OptimizerSpec } from "./optimizers.js";
import type { LrSchedule } from "./schedules.js";

export interface Recipe {
  name: string;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerSpec;
  normalization: Normalization;
  schedule?: LrSchedule;
  augment?: AugmentOptions | false;
}

/**
 * The seed tutorial's recipe: SGD lr 0.01 momentum 0.9, batch 32, pixels
 * normalized to [-1, 1] (Normalize((0.5,), (0.5,))), 10 epochs.
 */
export const seedRecipe: Readonly<Recipe> = Object.freeze<Recipe>({
  name: "seed",
  epochs: 10,
  batchSize: 32,
  optimizer: { type: "sgd", lr: 0.01, momentum: 0.9 },
  normalization: "symmetric",
});

/**
 * For improvedConvNet: Adam 1e-3 with cosine decay, batch 64, small shifts
 * and rotations as augmentation, 15 epochs.
 */
export const improvedRecipe: Readonly<Recipe> = Object.freeze<Recipe>({
  name: "improved",
  epochs: 15,
  batchSize: 64,
  optimizer: { type: "adam", lr: 1e-3 },
  normalization: "symmetric",
  schedule: { type: "cosine", minFactor: 0.02 },
  augment: { maxShift: 2, maxRotationDeg: 10 },
});

/** Fine-tuning: the seed's optimizer at a 10× lower learning rate. */
export const fineTuneRecipe: Readonly<Recipe> = Object.freeze<Recipe>({
  name: "fine-tune",
  epochs: 10,
  batchSize: 32,
  optimizer: { type: "sgd", lr: 0.001, momentum: 0.9 },
  normalization: "symmetric",
});
