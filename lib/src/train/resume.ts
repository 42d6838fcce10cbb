import type * as tf from "@tensorflow/tfjs";
import type { Dataset, ImageSet } from "../data/types.js";
import { loadCheckpoint } from "./checkpoint.js";
import type { History } from "./history.js";
import { train, type TrainOptions } from "./train.js";

/**
 * Loads the checkpoint in `dir` and trains on up to `options.epochs` total
 * epochs (default: the run's original count), with the run's seed, recipe
 * and optimizer state. Returns the model and its continued history.
 */
export async function resumeTraining(
  dir: string,
  data: ImageSet | Dataset,
  options: TrainOptions = {},
): Promise<{ model: tf.LayersModel; history: History }> {
  const checkpoint = await loadCheckpoint(dir);
  const history = await train(checkpoint.model, data, { ...options, resume: checkpoint });
  return { model: checkpoint.model, history };
}
