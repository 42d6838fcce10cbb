/**
 * A chart is a value: built from a Vega-Lite spec, it shows itself (a MIME
 * bundle with the interactive spec, vega's own SVG and a line of text) and
 * saves itself. SVG is rendered synchronously on first use and cached.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { DISPLAY, type Displayable, type MimeBundle } from "../display/bundle.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { renderSVG, svgToPNG } from "./render.js";
import { standaloneHTML } from "./html.js";
import { withRasterFallback } from "./fallback.js";

export const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

export const SAVE_FORMATS = [".svg", ".png", ".vl.json", ".html"] as const;

export class Chart implements Displayable {
  readonly spec: TopLevelSpec;
  /** One line shown where rich output is not (text/plain, terminal). */
  readonly description: string;
  private svg?: string;
  private svgWithFallback?: string;

  constructor(spec: TopLevelSpec, description?: string) {
    this.spec = { $schema: VEGA_LITE_SCHEMA, ...spec } as TopLevelSpec;
    const title = chartTitle(spec);
    this.description = description ?? `Chart${title ? `: ${title}` : ""}`;
  }

  /** The chart as SVG text, rendered by vega in-process (synchronous). */
  toSVG(): string {
    this.svg ??= renderSVG(this.spec);
    return this.svg;
  }

  /** The chart as PNG bytes, rasterized from the SVG at `scale` × size. */
  toPNG(scale = 2): Uint8Array {
    return svgToPNG(this.toSVG(), scale);
  }

  /** A standalone page (vega, vega-lite, vega-embed inlined: works offline). */
  toHTML(): string {
    return standaloneHTML(this.spec, chartTitle(this.spec) ?? this.description);
  }

  /** Writes the chart atomically as .svg, .png, .vl.json or .html (by the file's extension). */
  async save(path: string): Promise<void> {
    const target = resolve(path);
    const lower = target.toLowerCase();
    let content: string | Uint8Array;
    if (lower.endsWith(".svg")) content = this.toSVG();
    else if (lower.endsWith(".png")) content = this.toPNG();
    else if (lower.endsWith(".vl.json")) content = JSON.stringify(this.spec, null, 2) + "\n";
    else if (lower.endsWith(".html")) content = this.toHTML();
    else throw new Error(`Chart.save("${path}"): unknown format; use one of ${SAVE_FORMATS.join(", ")}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileAtomic(target, content);
  }

  /**
   * The MIME bundle. No text/html on purpose: JupyterLab ranks HTML above
   * Vega-Lite and would show it instead. `rasterFallback` (default true) hides
   * a PNG copy in the SVG for nbconvert 6.5's HTML export (see fallback.ts);
   * live charts leave it out of their intermediate updates.
   */
  bundle(options: { rasterFallback?: boolean } = {}): MimeBundle {
    let svg = this.toSVG();
    if (options.rasterFallback ?? true) svg = this.svgWithFallback ??= withRasterFallback(svg);
    return { [VEGA_LITE_MIME]: this.spec, "image/svg+xml": svg, "text/plain": this.description };
  }

  [DISPLAY](): MimeBundle {
    return this.bundle();
  }
}

function chartTitle(spec: TopLevelSpec): string | undefined {
  const title = (spec as { title?: unknown }).title;
  if (typeof title === "string") return title;
  if (title && typeof title === "object" && typeof (title as { text?: unknown }).text === "string") {
    return (title as { text: string }).text;
  }
  return undefined;
}

/** Accepts what chart builders return: a Chart or a bare spec. */
export function asChart(value: Chart | TopLevelSpec): Chart {
  return value instanceof Chart ? value : new Chart(value);
}

/** How many inline data rows a spec carries (all `data.values` arrays, nested views included). */
export function countDataPoints(spec: unknown): number {
  if (Array.isArray(spec)) return spec.reduce((sum: number, item) => sum + countDataPoints(item), 0);
  if (!spec || typeof spec !== "object") return 0;
  let total = 0;
  for (const [key, value] of Object.entries(spec)) {
    if (key === "data" && value && typeof value === "object" && Array.isArray((value as { values?: unknown }).values)) {
      total += (value as { values: unknown[] }).values.length;
    } else if (typeof value === "object") {
      total += countDataPoints(value);
    }
  }
  return total;
}
