import type { TopLevelSpec } from "vega-lite";
import { Chart } from "../chart.js";
import { downsampleSeries } from "../series.js";
import { MAX_POINTS, type ChartOptions } from "../types.js";
import { BASE_CONFIG, PANEL_HEIGHT, PANEL_WIDTH, checkFinite } from "./common.js";

export interface LinePoint {
  x: number;
  y: number;
  series?: string;
}

export interface LineChartOptions extends ChartOptions {
  /** x axis title */
  x?: string;
  /** y axis title */
  y?: string;
  logY?: boolean;
  /** also draw a dot per point */
  points?: boolean;
}

/** One line per `series` (or a single line), downsampled to ≤ 2,000 points. */
export function lineChart(data: readonly LinePoint[], options: LineChartOptions = {}): Chart {
  checkFinite("lineChart data x", data.map((p) => p.x));
  checkFinite("lineChart data y", data.map((p) => p.y));
  if (options.logY) {
    const bad = data.findIndex((p) => p.y <= 0);
    if (bad >= 0) throw new Error(`lineChart: logY needs y > 0, but data[${bad}].y is ${data[bad]!.y}`);
  }
  const hasSeries = data.some((p) => p.series !== undefined);
  const values = downsampleSeries(data, MAX_POINTS, (p) => p.series ?? "", (p) => p.x, (p) => p.y).map((p) =>
    hasSeries ? { x: p.x, y: p.y, series: p.series ?? "" } : { x: p.x, y: p.y },
  );
  const spec = {
    ...(options.title ? { title: options.title } : {}),
    width: options.width ?? PANEL_WIDTH,
    height: options.height ?? PANEL_HEIGHT,
    data: { values },
    mark: { type: "line", point: options.points ?? false, tooltip: true },
    encoding: {
      x: { field: "x", type: "quantitative", title: options.x ?? "x" },
      y: {
        field: "y",
        type: "quantitative",
        title: options.y ?? "y",
        scale: options.logY ? { type: "log" } : { zero: false },
      },
      ...(hasSeries ? { color: { field: "series", type: "nominal", title: null } } : {}),
    },
    config: BASE_CONFIG,
  } as TopLevelSpec;
  const seriesCount = hasSeries ? new Set(data.map((p) => p.series ?? "")).size : 1;
  return new Chart(spec, `Line chart${options.title ? ` "${options.title}"` : ""}: ${data.length} points, ${seriesCount} series`);
}
