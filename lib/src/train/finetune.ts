/**
 * Fine-tuning a pretrained model on a new task, and the tutorial's experiment
 * that tests the seed's claims (faster convergence, fewer labels needed):
 * pretrain on some classes, fine-tune on others with few labels, and compare
 * with the same network trained from scratch on the same labels.
 */
import type * as tf from "@tensorflow/tfjs";
import { selectClasses, splitTrainValidation, subset, takePerClass } from "../data/split.js";
import type { Dataset, ImageSet } from "../data/types.js";
import { DISPLAY, type MimeBundle } from "../display/bundle.js";
import { table } from "../display/table.js";
import { evaluate, type Evaluation } from "../eval/evaluate.js";
import { seedConvNet, type ArchitectureOptions } from "../model/architectures.js";
import { cloneModel } from "../model/folder-io.js";
import { freezeUpTo, replaceHead, type LayerRef } from "../model/transfer.js";
import { compareRuns } from "../plot/charts/compare.js";
import type { History } from "./history.js";
import { fineTuneRecipe, seedRecipe } from "./recipes.js";
import { train, type TrainOptions } from "./train.js";

export interface FineTuneOptions extends TrainOptions {
  /** Freeze the layers up to and including this one (default: none frozen). */
  freezeUpTo?: LayerRef;
  /** Seed for the new head's initial weights (default: options.seed). */
  headSeed?: number;
}

/**
 * Copies `pretrained` (it stays unchanged), replaces its head with one for
 * the data's classes, optionally freezes the body, and trains with the
 * fine-tuning recipe (SGD momentum 0.9 at lr 0.001) unless told otherwise.
 */
export async function fineTune(
  pretrained: tf.LayersModel,
  data: ImageSet,
  options: FineTuneOptions = {},
): Promise<{ model: tf.Sequential; history: History }> {
  const copy = await cloneModel(pretrained);
  const model = replaceHead(copy, data.classNames.length, { seed: options.headSeed ?? options.seed });
  if (options.freezeUpTo !== undefined) freezeUpTo(model, options.freezeUpTo);
  const history = await train(model, data, { recipe: fineTuneRecipe, ...options });
  return { model, history };
}

export interface TransferExperimentOptions {
  /** Builds the network (default seedConvNet). */
  architecture?: (options: ArchitectureOptions) => tf.Sequential;
  /** Classes to pretrain on (default digits 0–4) and to transfer to (default 5–9). */
  pretrainClasses?: number[];
  targetClasses?: number[];
  /** Labelled images per target class (default 50). */
  labelsPerClass?: number;
  pretrainEpochs?: number;
  fineTuneEpochs?: number;
  /** Freeze the pretrained layers up to this one while fine-tuning (default "flatten": the conv features). */
  freezeUpTo?: LayerRef;
  /** At most this many pretraining images (default: all of them). */
  pretrainLimit?: number;
  /** Images of the target classes held out to draw the curves (default 1,000). */
  validationSize?: number;
  /**
   * Learning rate of the fine-tuning run (default 0.01, the scratch run's rate:
   * with the body frozen, the initial weights are then the only difference).
   */
  fineTuneLr?: number;
  /** Evaluate on at most this many test images per task (default: all). */
  testLimit?: number;
  seed?: number;
  /** Extra training options for all three runs (signal, progress, …). */
  train?: TrainOptions;
}

export interface RunResult {
  name: string;
  history: History;
  evaluation: Evaluation;
}

export class TransferResult {
  constructor(
    readonly pretrain: RunResult,
    readonly fineTuned: RunResult,
    readonly scratch: RunResult,
    readonly description: string,
  ) {}

  /** Validation accuracy per epoch: fine-tuned vs from scratch. */
  curves() {
    return compareRuns(
      [this.fineTuned, this.scratch].map((r) => ({ name: r.name, history: r.history })),
      { metric: "valAccuracy", title: this.description },
    );
  }

  comparisonTable() {
    return table(
      [this.pretrain, this.fineTuned, this.scratch].map((r) => ({
        run: r.name,
        epochs: r.history.epochs.length,
        "test set": r.evaluation.setName,
        "test accuracy": `${(r.evaluation.accuracy * 100).toFixed(2)}%`,
        "test loss": r.evaluation.loss.toFixed(4),
        "train seconds": r.history.seconds.toFixed(1),
      })),
      { title: this.description },
    );
  }

  [DISPLAY](): MimeBundle {
    const t = this.comparisonTable();
    const chart = this.curves();
    return { "text/plain": t.toText(), "text/html": `<div>${t.toHTML()}<div>${chart.toSVG()}</div></div>` };
  }
}

/** The first `limit` images of a set (all of them when no limit). */
function first(set: ImageSet, limit: number | undefined): ImageSet {
  if (!limit || limit >= set.count) return set;
  return subset(set, Array.from({ length: limit }, (_, i) => i), `${set.name}[:${limit}]`);
}

/**
 * The seed's section 3.2–3.3 as an experiment: pretrain on `pretrainClasses`,
 * fine-tune on `labelsPerClass` labels of each target class, and train the
 * same network from scratch on the same labels; evaluate both on the target
 * classes of the test set.
 */
export async function transferExperiment(dataset: Dataset, options: TransferExperimentOptions = {}): Promise<TransferResult> {
  const build = options.architecture ?? seedConvNet;
  const seed = options.seed ?? 1;
  const source = options.pretrainClasses ?? [0, 1, 2, 3, 4];
  const target = options.targetClasses ?? [5, 6, 7, 8, 9];
  const perClass = options.labelsPerClass ?? 50;
  const extra = options.train ?? {};

  const pretrainSet = first(selectClasses(dataset.train, source), options.pretrainLimit);
  const targetAll = selectClasses(dataset.train, target);
  const { train: targetPool, validation } = splitTrainValidation(targetAll, {
    validation: Math.min(options.validationSize ?? 1000, Math.floor(targetAll.count / 5)),
    seed,
  });
  const labelled = takePerClass(targetPool, perClass, seed);
  const sourceTest = first(selectClasses(dataset.test, source), options.testLimit);
  const targetTest = first(selectClasses(dataset.test, target), options.testLimit);

  const base = build({ seed, classes: source.length });
  const pretrainHistory = await train(base, pretrainSet, { recipe: seedRecipe, epochs: options.pretrainEpochs ?? 2, seed, ...extra });
  const pretrain = { name: `pretrained on ${source.join(",")}`, history: pretrainHistory, evaluation: await evaluate(base, sourceTest) };

  const epochs = options.fineTuneEpochs ?? 20;
  const tuned = await fineTune(base, labelled, {
    epochs, seed, validation, freezeUpTo: options.freezeUpTo ?? "flatten", lr: options.fineTuneLr ?? 0.01, ...extra,
  });
  const fineTuned = { name: "fine-tuned", history: tuned.history, evaluation: await evaluate(tuned.model, targetTest) };

  const fresh = build({ seed: seed + 1, classes: target.length });
  const scratchHistory = await train(fresh, labelled, { recipe: seedRecipe, epochs, seed, validation, ...extra });
  const scratch = { name: "from scratch", history: scratchHistory, evaluation: await evaluate(fresh, targetTest) };

  const description = `Digits ${target.join(",")} with ${perClass} labels per class: fine-tuned from ${source.join(",")} vs from scratch`;
  return new TransferResult(pretrain, fineTuned, scratch, description);
}
