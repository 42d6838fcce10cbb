/**
 * A chart that follows a running training: append or replace its data, and it
 * re-renders in place (update_display_data) at most every `intervalMs`. Long
 * series are downsampled so each bundle stays ≤ `maxPoints` rows. Outside the
 * kernel only the final state is shown (one file and a line, not one per update).
 */
import type { TopLevelSpec } from "vega-lite";
import { bundleValue } from "../display/bundle.js";
import { kernelHost } from "../display/host.js";
import { show, showUpdatable, type DisplayHandle } from "../display/show.js";
import { asChart, type Chart } from "./chart.js";
import { downsampleSeries } from "./series.js";
import { MAX_POINTS } from "./types.js";

export interface LiveChartOptions<T> {
  /** minimum time between two renders, default 250 ms (≤ 4 per second) */
  intervalMs?: number;
  /** most rows handed to `build`, default 2,000 */
  maxPoints?: number;
  /** rows of one series are downsampled together; default: the row's `series` field, if any */
  seriesOf?: (row: T) => string;
  /** x/y of a row for shape-preserving downsampling; default: numeric `x`/`y` or `step`/`loss` fields */
  xy?: (row: T) => [number, number];
  /** data shown at once */
  initial?: readonly T[];
}

export class LiveChart<T> {
  private rows: T[];
  private handle?: DisplayHandle;
  private timer?: NodeJS.Timeout;
  private lastRender = -Infinity;
  private dirty = false;
  private finished = false;
  private latest?: Chart;
  /** how many times a chart was built and displayed */
  renders = 0;

  constructor(
    private readonly build: (data: T[]) => Chart | TopLevelSpec,
    private readonly options: LiveChartOptions<T> = {},
  ) {
    this.rows = [...(options.initial ?? [])];
    if (this.rows.length > 0) this.schedule();
  }

  /** All rows received so far (not downsampled). */
  get data(): readonly T[] {
    return this.rows;
  }

  /** The chart as last rendered. */
  get chart(): Chart | undefined {
    return this.latest;
  }

  append(points: T | readonly T[]): this {
    this.checkOpen("append");
    if (Array.isArray(points)) for (const p of points as readonly T[]) this.rows.push(p);
    else this.rows.push(points as T);
    this.schedule();
    return this;
  }

  replace(data: readonly T[]): this {
    this.checkOpen("replace");
    this.rows = [...data];
    this.schedule();
    return this;
  }

  /** Renders the final state (the one that stays in the saved notebook) and returns its chart. */
  finish(): Chart {
    if (this.finished && this.latest) return this.latest;
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    return this.render(true);
  }

  private checkOpen(what: string): void {
    if (this.finished) throw new Error(`LiveChart.${what}: the chart is finished; create a new liveChart`);
  }

  private schedule(): void {
    this.dirty = true;
    const wait = this.lastRender + (this.options.intervalMs ?? 250) - performance.now();
    if (wait <= 0) {
      if (this.timer) clearTimeout(this.timer); // this render covers what the timer was waiting for
      this.timer = undefined;
      this.render(false);
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (this.dirty && !this.finished) this.render(false);
      }, wait);
      this.timer.unref(); // a script that never calls finish() still exits
    }
  }

  private render(final: boolean): Chart {
    const chart = asChart(this.build(this.sampled()));
    this.latest = chart;
    this.dirty = false;
    if (kernelHost()) {
      this.renders++;
      // only the final state stays in the notebook, so only it carries the PNG fallback
      const value = final ? chart : bundleValue(chart.bundle({ rasterFallback: false }));
      if (this.handle) this.handle.update(value);
      else this.handle = showUpdatable(value);
    } else if (final) {
      this.renders++;
      show(chart);
    }
    // counted from the end of a render, so slow renders never take more than their share of the time
    this.lastRender = performance.now();
    return chart;
  }

  private sampled(): T[] {
    const max = this.options.maxPoints ?? MAX_POINTS;
    if (this.rows.length <= max) return this.rows.slice();
    const seriesOf = this.options.seriesOf ?? defaultSeries;
    const xy = this.options.xy ?? defaultXY(this.rows[0]);
    return downsampleSeries(this.rows, max, seriesOf, xy && ((r) => xy(r)[0]), xy && ((r) => xy(r)[1]));
  }
}

function defaultSeries(row: unknown): string {
  const series = (row as { series?: unknown } | null)?.series;
  return typeof series === "string" ? series : "";
}

function defaultXY<T>(sample: T): ((row: T) => [number, number]) | undefined {
  const s = sample as Record<string, unknown>;
  for (const [x, y] of [["x", "y"], ["step", "loss"], ["step", "value"]] as const) {
    if (typeof s?.[x] === "number" && typeof s?.[y] === "number") {
      return (row) => [(row as Record<string, number>)[x]!, (row as Record<string, number>)[y]!];
    }
  }
  return undefined;
}

/**
 * A live chart: `build` turns the (downsampled) rows into a chart or spec; the
 * handle re-renders in place, throttled to ≤ ~4/s; `finish()` renders the end state.
 */
export function liveChart<T>(build: (data: T[]) => Chart | TopLevelSpec, options: LiveChartOptions<T> = {}): LiveChart<T> {
  return new LiveChart(build, options);
}
