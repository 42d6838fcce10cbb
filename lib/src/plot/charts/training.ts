import type { TopLevelSpec } from "vega-lite";
import { Chart } from "../chart.js";
import { downsampleLTTB, smooth } from "../series.js";
import { MAX_POINTS, type HistoryLike } from "../types.js";
import { BASE_CONFIG, PANEL_HEIGHT, PANEL_WIDTH, displayEpoch, integerAxis } from "./common.js";

export interface TrainingCurvesOptions {
  /** EMA weight for the per-batch lines, 0 (raw) … 0.99; default 0.6 */
  smoothing?: number;
  title?: string;
  width?: number;
  height?: number;
}

export const TRAIN_BATCH = "train (per batch, smoothed)";
export const TRAIN_EPOCH = "train (per epoch)";
export const VALIDATION_EPOCH = "validation (per epoch)";

const KIND_COLORS = { domain: [TRAIN_BATCH, TRAIN_EPOCH, VALIDATION_EPOCH], range: ["#9ecae1", "#08519c", "#e6550d"] };

type Metric = "loss" | "accuracy";
interface Row {
  x: number;
  value: number;
  kind: string;
}

/**
 * Loss and accuracy side by side: per-batch values smoothed (a light line),
 * per-epoch train and validation values (lines with points) on the same x axis
 * (the global step at the end of each epoch, or the epoch, counted from 1, when
 * there are no batches). The x axis has whole-number ticks only.
 */
export function trainingCurves(history: HistoryLike, options: TrainingCurvesOptions = {}): Chart {
  const { batches, epochs } = history;
  if (batches.length === 0 && epochs.length === 0) throw new Error("trainingCurves: the history is empty (no batches, no epochs)");
  const smoothing = options.smoothing ?? 0.6;
  const byStep = batches.length > 0;
  const epochEnd = new Map<number, number>();
  for (const b of batches) epochEnd.set(b.epoch, Math.max(epochEnd.get(b.epoch) ?? -Infinity, b.step));
  const epochX = (epoch: number) => (byStep ? (epochEnd.get(epoch) ?? epoch) : displayEpoch(epoch));
  // both panels share the budget; epoch points are few and kept whole
  const batchBudget = Math.max(3, Math.floor((MAX_POINTS - 4 * epochs.length) / 2));

  const panel = (metric: Metric): object => {
    const raw = batches.map((b) => b[metric]);
    const smoothed = smooth(raw, smoothing);
    const batchRows: Row[] = downsampleLTTB(
      batches.map((b, i) => ({ x: b.step, value: smoothed[i]!, kind: TRAIN_BATCH })),
      batchBudget,
      (r) => r.x,
      (r) => r.value,
    );
    const epochRows: Row[] = [];
    for (const e of epochs) {
      epochRows.push({ x: epochX(e.epoch), value: e[metric], kind: TRAIN_EPOCH });
      const val = metric === "loss" ? e.valLoss : e.valAccuracy;
      if (val !== undefined) epochRows.push({ x: epochX(e.epoch), value: val, kind: VALIDATION_EPOCH });
    }
    const all = [...batchRows, ...epochRows].map((r) => r.value);
    const xTitle = byStep ? "step (batches)" : "epoch";
    const yFormat = metric === "accuracy" && all.every((v) => v >= 0 && v <= 1) ? { format: ".0%" } : {};
    const encoding = {
      x: { field: "x", type: "quantitative", scale: { zero: false, nice: false }, axis: integerAxis([...batchRows, ...epochRows].map((r) => r.x), xTitle) },
      y: { field: "value", type: "quantitative", title: metric, scale: { zero: false }, axis: yFormat },
      color: { field: "kind", type: "nominal", title: null, scale: KIND_COLORS },
      tooltip: [{ field: "kind" }, { field: "x", title: byStep ? "step" : "epoch" }, { field: "value", title: metric, ...yFormat }],
    };
    const layers: object[] = [];
    if (batchRows.length > 0) layers.push({ data: { values: batchRows }, mark: { type: "line", strokeWidth: 1.5 }, encoding });
    if (epochRows.length > 0) layers.push({ data: { values: epochRows }, mark: { type: "line", point: true, strokeWidth: 2 }, encoding });
    return {
      title: metric,
      width: options.width ?? PANEL_WIDTH,
      height: options.height ?? PANEL_HEIGHT,
      layer: layers,
    };
  };

  const spec = {
    title: options.title ?? "Training curves",
    hconcat: [panel("loss"), panel("accuracy")],
    resolve: { scale: { color: "shared" } },
    config: BASE_CONFIG,
  } as TopLevelSpec;
  const last = epochs[epochs.length - 1];
  const summary = last
    ? `last epoch: loss ${last.loss.toFixed(4)}, accuracy ${(last.accuracy * 100).toFixed(2)}%` +
      (last.valLoss !== undefined ? `, val loss ${last.valLoss.toFixed(4)}` : "") +
      (last.valAccuracy !== undefined ? `, val accuracy ${(last.valAccuracy * 100).toFixed(2)}%` : "")
    : `${batches.length} batches`;
  return new Chart(spec, `${options.title ?? "Training curves"} (${epochs.length} epochs, ${batches.length} batches; ${summary})`);
}
