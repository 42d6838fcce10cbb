import type { TopLevelSpec } from "vega-lite";
import { Chart } from "../chart.js";
import { BASE_CONFIG, PANEL_HEIGHT } from "./common.js";

export interface PixelHistogramOptions {
  /** bins per series, default 50 */
  bins?: number;
  title?: string;
  /** symlog count axis: the zero-pixel spike of MNIST no longer hides the rest */
  logY?: boolean;
  width?: number;
  height?: number;
}

interface Bin {
  start: number;
  end: number;
  count: number;
}

/** Counts in `bins` equal bins over the values' own range (binned here: the spec stays small). */
export function histogram(values: ArrayLike<number>, bins: number, what: string): Bin[] {
  if (values.length === 0) throw new Error(`pixelHistogram: series "${what}" has no values`);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new Error(`pixelHistogram: series "${what}" value [${i}] is ${v}`);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (max === min) max = min + 1;
  const width = (max - min) / bins;
  const counts = new Float64Array(bins);
  for (let i = 0; i < values.length; i++) counts[Math.min(bins - 1, Math.floor((values[i]! - min) / width))]!++;
  return Array.from(counts, (count, i) => ({ start: min + i * width, end: min + (i + 1) * width, count }));
}

/** One histogram panel per series, each on its own x range (e.g. raw 0…255 vs normalized). */
export function pixelHistogram(series: readonly { name: string; values: ArrayLike<number> }[], options: PixelHistogramOptions = {}): Chart {
  if (series.length === 0) throw new Error("pixelHistogram: no series given");
  const bins = options.bins ?? 50;
  if (!Number.isInteger(bins) || bins < 1 || bins > 1000) throw new Error(`pixelHistogram: bins must be an integer in 1…1000, got ${bins}`);
  const panels = series.map((s) => ({
    title: s.name,
    width: options.width ?? 260,
    height: options.height ?? PANEL_HEIGHT - 40,
    data: { values: histogram(s.values, bins, s.name) },
    mark: { type: "bar", color: "#4c78a8", tooltip: true },
    encoding: {
      x: { field: "start", type: "quantitative", bin: { binned: true }, title: "value" },
      x2: { field: "end" },
      y: { field: "count", type: "quantitative", scale: options.logY ? { type: "symlog" } : {} },
    },
  }));
  const spec = {
    title: options.title ?? "Pixel intensities",
    hconcat: panels,
    config: BASE_CONFIG,
  } as TopLevelSpec;
  const summary = series.map((s) => `${s.name} (${s.values.length} values)`).join(", ");
  return new Chart(spec, `Pixel histogram, ${bins} bins: ${summary}`);
}
