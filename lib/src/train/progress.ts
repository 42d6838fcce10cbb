/**
 * What the user sees while training runs: one progress line updated in place
 * (epoch, batch, loss, accuracy, images/s, ETA) — in the notebook or on the
 * terminal — plus, in a notebook, a live loss/accuracy chart. Rendering the
 * chart (Vega-Lite spec + SVG) costs ~80 ms, so it updates every 2 s at most
 * (≈ 4 % of training time) rather than with every batch.
 * In a script, each finished epoch also prints one line, as the seed's log does.
 */
import { kernelHost } from "../display/host.js";
import { liveChart, type LiveChart } from "../plot/live.js";
import { trainingCurves } from "../plot/charts/training.js";
import type { BatchRecord } from "../plot/types.js";
import { ProgressBar } from "../util/progress.js";
import type { EpochRecord, History } from "./history.js";

export interface ProgressSettings {
  /** Show the progress line (default true). */
  progress?: boolean;
  /** Show the live chart in a notebook (default true). */
  liveChart?: boolean;
  /** Where terminal lines go (default stderr for the bar, stdout for epoch lines). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

const LIVE_CHART_INTERVAL_MS = 2000;

export class TrainingProgress {
  private readonly bar?: ProgressBar;
  private readonly chart?: LiveChart<BatchRecord>;
  private readonly started = performance.now();
  private readonly inKernel = kernelHost() !== undefined;
  private images = 0;

  constructor(
    private readonly history: History,
    private readonly epochs: number,
    private readonly firstEpoch: number,
    private readonly batchesPerEpoch: number,
    private readonly settings: ProgressSettings,
  ) {
    const total = (epochs - firstEpoch) * batchesPerEpoch;
    if (settings.progress !== false) this.bar = new ProgressBar({ label: "Training", total, unit: "batches", stream: settings.stream });
    if (this.inKernel && settings.liveChart !== false) {
      this.chart = liveChart<BatchRecord>((rows) => trainingCurves({ batches: rows, epochs: history.epochs }, { title: "Training (live)" }), {
        intervalMs: LIVE_CHART_INTERVAL_MS,
        initial: history.batches,
      });
    }
  }

  batchDone(record: BatchRecord, size: number): void {
    this.images += size;
    this.chart?.append(record);
    if (!this.bar) return;
    const done = (record.epoch - this.firstEpoch) * this.batchesPerEpoch + record.batch + 1;
    const seconds = (performance.now() - this.started) / 1000;
    const rate = this.images / Math.max(seconds, 1e-3);
    const total = (this.epochs - this.firstEpoch) * this.batchesPerEpoch;
    const eta = (seconds / done) * (total - done);
    const detail = [
      `epoch ${record.epoch + 1}/${this.epochs}`,
      `batch ${record.batch + 1}/${this.batchesPerEpoch}`,
      `loss ${record.loss.toFixed(4)}`,
      `acc ${(record.accuracy * 100).toFixed(1)}%`,
      `${rate.toFixed(0)} img/s`,
      `ETA ${formatDuration(eta)}`,
    ].join(" · ");
    this.bar.update(done, detail);
  }

  epochDone(record: EpochRecord): void {
    if (!this.inKernel && this.settings.progress !== false) {
      const out = this.settings.stream ?? process.stdout;
      const val =
        record.valAccuracy !== undefined
          ? `, val loss ${record.valLoss?.toFixed(4)}, val accuracy ${(record.valAccuracy * 100).toFixed(2)}%`
          : "";
      out.write(`\n[epoch ${record.epoch + 1}/${this.epochs}] loss ${record.loss.toFixed(4)}, accuracy ${(record.accuracy * 100).toFixed(2)}%${val} (${record.seconds.toFixed(1)} s)\n`);
    }
  }

  /** Ends the line and leaves the chart at its final state; `message` says how training ended. */
  finish(message: string): void {
    this.bar?.finish(message);
    if (this.chart && this.history.batches.length > 0) this.chart.finish();
  }
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
