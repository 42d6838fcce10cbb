/**
 * train()'s options, and how they are resolved against a recipe (and a
 * resumed run's saved settings) into the settings a run actually uses.
 */
import type * as tf from "@tensorflow/tfjs";
import type { AugmentOptions } from "../data/augment.js";
import { randomSeed } from "../data/rng.js";
import type { ImageSet, Normalization } from "../data/types.js";
import type { LayerRef } from "../model/transfer.js";
import type { Checkpoint } from "./checkpoint-types.js";
import type { EpochRecord, History } from "./history.js";
import type { BatchRecord } from "../plot/types.js";
import type { OptimizerSpec } from "./optimizers.js";
import type { ProgressSettings } from "./progress.js";
import { seedRecipe, type Recipe } from "./recipes.js";
import type { LrSchedule } from "./schedules.js";

export interface EarlyStopping {
  /** What to watch (default "valLoss"; "loss" when there is no validation set). */
  monitor?: "valLoss" | "valAccuracy" | "loss" | "accuracy";
  /** Epochs without improvement before stopping (default 3). */
  patience?: number;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Put back the weights of the best epoch when stopping (default true). */
  restoreBest?: boolean;
}

export interface BatchLogs extends BatchRecord {
  size: number;
}

export interface TrainCallbacks {
  onEpochStart?(epoch: number, lr: number): void | Promise<void>;
  /** Return "stop" to end training after this batch. */
  onBatchEnd?(logs: BatchLogs): void | "stop" | Promise<void | "stop">;
  /** Return "stop" to end training after this epoch. */
  onEpochEnd?(logs: EpochRecord, history: History): void | "stop" | Promise<void | "stop">;
  onTrainEnd?(history: History): void | Promise<void>;
}

export interface TrainOptions extends ProgressSettings {
  /** Defaults for everything below (default: the seed's recipe). */
  recipe?: Recipe;
  /** Total epochs (with `resume`, training continues up to this many). */
  epochs?: number;
  batchSize?: number;
  /** An optimizer description, or a tfjs optimizer to use as is. */
  optimizer?: OptimizerSpec | tf.Optimizer;
  /** Overrides the optimizer description's learning rate. */
  lr?: number;
  schedule?: LrSchedule;
  normalization?: Normalization;
  augment?: AugmentOptions | false;
  /** Evaluated after every epoch (valLoss, valAccuracy). */
  validation?: ImageSet;
  earlyStopping?: EarlyStopping | boolean;
  /** Same seed + same backend → same batch order, dropout masks and loss curve (seed the model too). */
  seed?: number;
  callbacks?: TrainCallbacks;
  /** Stops at the next batch boundary when aborted (default: the running cell's interrupt). */
  signal?: AbortSignal;
  /** Unfreeze layers from `from` on at the start of `epoch` (gradual unfreezing). */
  unfreeze?: ReadonlyArray<{ epoch: number; from: LayerRef }>;
  /** Save a checkpoint to `dir` every `every` epochs (default 1) and at the end. */
  checkpoint?: { dir: string; every?: number };
  /** Continue a run from a checkpoint (see loadCheckpoint / resumeTraining). */
  resume?: Checkpoint;
}

/** The settings a run actually uses, after merging options over the recipe (and a resumed run). */
export interface ResolvedSettings {
  recipe: string;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerSpec | undefined;
  baseLr: number;
  schedule?: LrSchedule;
  normalization: Normalization;
  augment: AugmentOptions | false;
  seed: number;
}

export function resolveSettings(options: TrainOptions): ResolvedSettings {
  const saved = options.resume?.settings;
  const recipe = options.recipe ?? (saved ? undefined : seedRecipe);
  const base = { ...(saved ?? {}), ...(recipe ?? {}) } as Partial<ResolvedSettings & Recipe>;
  const given = options.optimizer;
  let spec: OptimizerSpec | undefined =
    isOptimizer(given) ? undefined : ((given as OptimizerSpec | undefined) ?? base.optimizer);
  if (spec && options.lr !== undefined) spec = { ...spec, lr: options.lr };
  const baseLr = options.lr ?? spec?.lr ?? base.baseLr ?? 0.01;
  return {
    recipe: options.recipe?.name ?? saved?.recipe ?? recipe?.name ?? "custom",
    epochs: options.epochs ?? base.epochs ?? 1,
    batchSize: options.batchSize ?? base.batchSize ?? 32,
    optimizer: spec,
    baseLr,
    schedule: options.schedule ?? base.schedule,
    normalization: options.normalization ?? base.normalization ?? "symmetric",
    augment: options.augment ?? base.augment ?? false,
    seed: options.seed ?? saved?.seed ?? randomSeed(),
  };
}

/** A tfjs optimizer object (tf.Optimizer's own instanceof check fails on undefined). */
export function isOptimizer(value: unknown): value is tf.Optimizer {
  return typeof value === "object" && value !== null && typeof (value as tf.Optimizer).minimize === "function";
}
