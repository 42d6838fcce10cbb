/**
 * What a training run returns: per-batch and per-epoch loss/accuracy with
 * timings, and how the run ended. It satisfies the plots' HistoryLike and
 * displays as the training curves.
 */
import { DISPLAY, type MimeBundle } from "../display/bundle.js";
import { trainingCurves } from "../plot/charts/training.js";
import type { BatchRecord, EpochRecord, HistoryLike } from "../plot/types.js";

export type { BatchRecord, EpochRecord };

export interface HistoryJSON {
  batches: BatchRecord[];
  epochs: EpochRecord[];
  seed: number;
  recipe: string;
  interrupted: boolean;
  stopReason?: string;
  backend?: string;
}

export class History implements HistoryLike {
  batches: BatchRecord[] = [];
  epochs: EpochRecord[] = [];
  /** The seed the run used (given or drawn): pass it again to repeat the run. */
  seed: number;
  /** A one-line description of the recipe (optimizer, batch size…). */
  recipe: string;
  /** True when the run was stopped by an interrupt or an aborted signal. */
  interrupted = false;
  /** Why training ended before its last epoch, if it did. */
  stopReason?: string;
  backend?: string;

  constructor(seed: number, recipe: string) {
    this.seed = seed;
    this.recipe = recipe;
  }

  /** The last completed epoch, if any. */
  get last(): EpochRecord | undefined {
    return this.epochs[this.epochs.length - 1];
  }

  get seconds(): number {
    return this.epochs.reduce((s, e) => s + e.seconds, 0);
  }

  /** One line: epochs, final loss/accuracy, how it ended. */
  describe(): string {
    const last = this.last;
    const parts = [`History: ${this.epochs.length} epoch(s), ${this.batches.length} batches (${this.recipe}, seed ${this.seed})`];
    if (last) {
      parts.push(`loss ${last.loss.toFixed(4)}, accuracy ${(last.accuracy * 100).toFixed(2)}%`);
      if (last.valAccuracy !== undefined) parts.push(`val loss ${last.valLoss?.toFixed(4)}, val accuracy ${(last.valAccuracy * 100).toFixed(2)}%`);
    }
    if (this.stopReason) parts.push(this.stopReason);
    return parts.join("; ");
  }

  toJSON(): HistoryJSON {
    return {
      batches: this.batches,
      epochs: this.epochs,
      seed: this.seed,
      recipe: this.recipe,
      interrupted: this.interrupted,
      stopReason: this.stopReason,
      backend: this.backend,
    };
  }

  static fromJSON(json: HistoryJSON): History {
    const history = new History(json.seed, json.recipe);
    history.batches = json.batches;
    history.epochs = json.epochs;
    history.interrupted = json.interrupted;
    history.stopReason = json.stopReason;
    history.backend = json.backend;
    return history;
  }

  [DISPLAY](): MimeBundle {
    if (this.batches.length === 0 && this.epochs.length === 0) return { "text/plain": this.describe() };
    const title = this.interrupted ? "Training (interrupted)" : "Training";
    return { ...trainingCurves(this, { title })[DISPLAY](), "text/plain": this.describe() };
  }
}
