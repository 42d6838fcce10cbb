/**
 * Checkpoints: model (model.json + weights.bin), optimizer state
 * (optimizer.json + optimizer.bin) and training state (training.json: history,
 * next epoch, settings) in one folder, written in one atomic step.
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { checkWeightBytes, folderIO, readFolderFile, toArrayBuffer, type FolderFiles } from "../model/folder-io.js";
import type { Checkpoint } from "./checkpoint-types.js";
import { History, type HistoryJSON } from "./history.js";
import { makeOptimizer } from "./optimizers.js";
import { serializableSchedule } from "./schedules.js";
import type { ResolvedSettings } from "./options.js";

export type { Checkpoint };

const OPTIMIZER_JSON = "optimizer.json";
const OPTIMIZER_BIN = "optimizer.bin";
const TRAINING_JSON = "training.json";

interface TrainingState {
  nextEpoch: number;
  variableOrder: number[];
  settings: ResolvedSettings;
  history: HistoryJSON;
}

async function optimizerFiles(optimizer: tf.Optimizer): Promise<FolderFiles> {
  const { data, specs } = await tf.io.encodeWeights(await optimizer.getWeights());
  return {
    [OPTIMIZER_JSON]: JSON.stringify({ className: optimizer.getClassName(), weights: specs }),
    [OPTIMIZER_BIN]: new Uint8Array(data),
  };
}

/** Saves model, optimizer state and training state to `dir` (replacing it atomically). */
export async function saveCheckpoint(dir: string, checkpoint: Checkpoint): Promise<void> {
  const state: TrainingState = {
    nextEpoch: checkpoint.nextEpoch,
    variableOrder: checkpoint.variableOrder,
    settings: { ...checkpoint.settings, schedule: serializableSchedule(checkpoint.settings.schedule) },
    history: checkpoint.history.toJSON(),
  };
  const extra = async () => ({ ...(await optimizerFiles(checkpoint.optimizer)), [TRAINING_JSON]: JSON.stringify(state) });
  await checkpoint.model.save(folderIO(dir, extra));
}

/** Loads a checkpoint saved by saveCheckpoint (or by train's `checkpoint` option). */
export async function loadCheckpoint(dir: string): Promise<Checkpoint> {
  const model = await tf.loadLayersModel(folderIO(dir));
  const state = JSON.parse(readFolderFile(dir, TRAINING_JSON).toString("utf8")) as TrainingState;
  if (!state.settings.optimizer) throw new Error(`${join(dir, TRAINING_JSON)} has no optimizer description: a run with a custom tfjs optimizer cannot be resumed`);
  const meta = JSON.parse(readFolderFile(dir, OPTIMIZER_JSON).toString("utf8")) as { weights: tf.io.WeightsManifestEntry[] };
  const bytes = readFolderFile(dir, OPTIMIZER_BIN);
  checkWeightBytes(join(dir, OPTIMIZER_BIN), meta.weights, bytes.byteLength);
  const named = tf.io.decodeWeights(toArrayBuffer(bytes), meta.weights);
  const optimizer = makeOptimizer(state.settings.optimizer);
  await optimizer.setWeights(meta.weights.map((w) => ({ name: w.name, tensor: named[w.name] })));
  tf.dispose(Object.values(named)); // setWeights keeps its own copies
  return {
    model,
    optimizer,
    history: History.fromJSON(state.history),
    nextEpoch: state.nextEpoch,
    variableOrder: state.variableOrder,
    settings: state.settings,
  };
}

