/**
 * Vega-Lite spec → SVG text, synchronously, in Node. vega's own View.toSVG()
 * is async only because a dataflow *may* load data; our specs carry inline
 * values, so one dataflow run completes synchronously and vega's SVG string
 * renderer draws the scenegraph at once (same text as View.toSVG()).
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { Resvg } from "@resvg/resvg-js";

/** The View internals we read to size the renderer as vega's renderHeadless does. */
interface ViewInternals {
  _viewWidth: number;
  _viewHeight: number;
  _origin: [number, number];
  _pulse: unknown;
  _pending: unknown;
}

interface StringRenderer {
  initialize(el: null, width: number, height: number, origin: [number, number], scale?: number): StringRenderer;
  background(color: unknown): StringRenderer;
  render(scene: unknown): StringRenderer;
  svg(): string | null;
}

const SVGStringRenderer = (vega as unknown as { SVGStringRenderer: new (loader: unknown) => StringRenderer })
  .SVGStringRenderer;

export function renderSVG(spec: TopLevelSpec): string {
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    view.run(); // evaluates synchronously up to the first await; inline data never awaits
    const internals = view as unknown as ViewInternals;
    if (internals._pulse || internals._pending) {
      throw new Error("chart spec needs asynchronous data loading (a data url?); charts must carry inline data values");
    }
    const padding = view.padding() as { left: number; right: number; top: number; bottom: number };
    const width = Math.max(0, internals._viewWidth + padding.left + padding.right);
    const height = Math.max(0, internals._viewHeight + padding.top + padding.bottom);
    const origin: [number, number] = [padding.left + internals._origin[0], padding.top + internals._origin[1]];
    const renderer = new SVGStringRenderer(view.loader())
      .initialize(null, width, height, origin)
      .background(view.background())
      .render((view.scenegraph() as unknown as { root: unknown }).root);
    const svg = renderer.svg();
    if (!svg) throw new Error("vega produced no SVG for this chart");
    return svg;
  } finally {
    view.finalize();
  }
}

/** Rasterizes SVG text (system sans-serif fonts) at `scale` × its size, white background. */
export function svgToPNG(svg: string, scale = 2): Uint8Array {
  const image = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: "white",
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
  }).render();
  return image.asPng();
}
