import type { TopLevelSpec } from "vega-lite";
import { Chart } from "../chart.js";
import { downsampleLTTB } from "../series.js";
import { MAX_POINTS, type ChartOptions } from "../types.js";
import { BASE_CONFIG, PANEL_HEIGHT, PANEL_WIDTH, checkFinite } from "./common.js";

/** The learning rate against the global step (a schedule, or what training used). */
export function learningRateChart(lrs: readonly { step: number; lr: number }[], options: ChartOptions & { logY?: boolean } = {}): Chart {
  if (lrs.length === 0) throw new Error("learningRateChart: no learning rates given");
  checkFinite("learningRateChart lr", lrs.map((p) => p.lr));
  if (options.logY && lrs.some((p) => p.lr <= 0)) throw new Error("learningRateChart: logY needs every lr > 0");
  const values = downsampleLTTB(lrs.map((p) => ({ step: p.step, lr: p.lr })), MAX_POINTS, (p) => p.step, (p) => p.lr);
  const spec = {
    title: options.title ?? "Learning rate",
    width: options.width ?? PANEL_WIDTH,
    height: options.height ?? PANEL_HEIGHT,
    data: { values },
    mark: { type: "line", interpolate: "step-after", tooltip: true },
    encoding: {
      x: { field: "step", type: "quantitative" },
      y: { field: "lr", type: "quantitative", title: "learning rate", scale: options.logY ? { type: "log" } : {} },
    },
    config: BASE_CONFIG,
  } as TopLevelSpec;
  const lrValues = lrs.map((p) => p.lr);
  return new Chart(spec, `Learning rate over ${lrs.length} steps: ${lrValues.reduce((a, b) => Math.max(a, b))} → ${lrValues[lrValues.length - 1]}`);
}
