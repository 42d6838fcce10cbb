import type { TopLevelSpec } from "vega-lite";
import { Chart } from "../chart.js";
import type { HistoryLike } from "../types.js";
import { BASE_CONFIG, PANEL_HEIGHT, PANEL_WIDTH, displayEpoch, integerAxis } from "./common.js";

export type RunMetric = "loss" | "accuracy" | "valLoss" | "valAccuracy";

export interface CompareRunsOptions {
  /** default: valAccuracy when every run has it, else accuracy */
  metric?: RunMetric;
  title?: string;
  width?: number;
  height?: number;
}

const METRIC_TITLES: Record<RunMetric, string> = {
  loss: "train loss",
  accuracy: "train accuracy",
  valLoss: "validation loss",
  valAccuracy: "validation accuracy",
};

/** One line per run: a per-epoch metric, e.g. from scratch vs fine-tuned (epochs shown from 1). */
export function compareRuns(runs: readonly { name: string; history: HistoryLike }[], options: CompareRunsOptions = {}): Chart {
  if (runs.length === 0) throw new Error("compareRuns: no runs given");
  const metric =
    options.metric ??
    (runs.every((r) => r.history.epochs.some((e) => e.valAccuracy !== undefined)) ? "valAccuracy" : "accuracy");
  const values: { run: string; epoch: number; value: number }[] = [];
  for (const run of runs) {
    const rows = run.history.epochs.filter((e) => e[metric] !== undefined);
    if (rows.length === 0) throw new Error(`compareRuns: run "${run.name}" has no per-epoch "${metric}" values`);
    for (const e of rows) values.push({ run: run.name, epoch: displayEpoch(e.epoch), value: e[metric]! });
  }
  const isFraction = metric.toLowerCase().includes("accuracy") && values.every((v) => v.value >= 0 && v.value <= 1);
  const format = isFraction ? { format: ".2%" } : {};
  const spec = {
    title: options.title ?? `Runs compared: ${METRIC_TITLES[metric]}`,
    width: options.width ?? PANEL_WIDTH,
    height: options.height ?? PANEL_HEIGHT,
    data: { values },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "epoch", type: "quantitative", scale: { zero: false, nice: false }, axis: integerAxis(values.map((v) => v.epoch), "epoch") },
      y: { field: "value", type: "quantitative", title: METRIC_TITLES[metric], scale: { zero: false }, axis: isFraction ? { format: ".1%" } : {} },
      color: { field: "run", type: "nominal", title: null, sort: runs.map((r) => r.name) },
      tooltip: [{ field: "run" }, { field: "epoch" }, { field: "value", title: METRIC_TITLES[metric], ...format }],
    },
    config: BASE_CONFIG,
  } as TopLevelSpec;
  const finals = runs.map((r) => {
    const rows = r.history.epochs.filter((e) => e[metric] !== undefined);
    const v = rows[rows.length - 1]![metric]!;
    return `${r.name} ${isFraction ? (v * 100).toFixed(2) + "%" : v.toFixed(4)}`;
  });
  return new Chart(spec, `Runs compared by ${METRIC_TITLES[metric]} (last epoch): ${finals.join(", ")}`);
}
