/** Early stopping: watch a per-epoch value, stop after `patience` epochs without improvement. */
import * as tf from "@tensorflow/tfjs";
import type { EpochRecord } from "./history.js";
import type { TrainOptions } from "./options.js";

export interface EarlyState {
  monitor: string;
  patience: number;
  update(record: EpochRecord): boolean;
  restore(): void;
  dispose(): void;
}

export function earlyStoppingState(options: TrainOptions, model: tf.LayersModel): EarlyState | undefined {
  if (!options.earlyStopping) return undefined;
  const o = options.earlyStopping === true ? {} : options.earlyStopping;
  const monitor = o.monitor ?? (options.validation ? "valLoss" : "loss");
  if (monitor.startsWith("val") && !options.validation) throw new Error(`earlyStopping monitors ${monitor} but no validation set was given`);
  const higherIsBetter = monitor.toLowerCase().includes("accuracy");
  const patience = o.patience ?? 3;
  const minDelta = o.minDelta ?? 0;
  const restoreBest = o.restoreBest ?? true;
  let best = higherIsBetter ? -Infinity : Infinity;
  let bestWeights: tf.Tensor[] | undefined;
  let stale = 0;
  let stopped = false;
  return {
    monitor,
    patience,
    update(record) {
      const value = record[monitor as keyof EpochRecord] as number;
      const improved = higherIsBetter ? value > best + minDelta : value < best - minDelta;
      if (improved) {
        best = value;
        stale = 0;
        if (restoreBest) {
          tf.dispose(bestWeights ?? []);
          bestWeights = model.getWeights().map((w) => w.clone());
        }
        return false;
      }
      stale++;
      stopped = stale >= patience;
      return stopped;
    },
    restore() {
      if (stopped && bestWeights) model.setWeights(bestWeights);
    },
    dispose() {
      tf.dispose(bestWeights ?? []);
      bestWeights = undefined;
    },
  };
}
