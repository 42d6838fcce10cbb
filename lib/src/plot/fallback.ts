/**
 * A raster copy of a chart hidden inside its SVG, for one known-broken viewer.
 *
 * nbconvert 6.5 (Debian's) passes every image/svg+xml output through lxml's
 * clean_html, which drops all SVG drawing elements (fixed upstream in nbconvert
 * 7.2.4, jupyter/nbconvert#1890): exported HTML would show an empty box. The
 * cleaner keeps <img>, so a PNG copy sits at the end of the SVG inside a
 * <foreignObject display="none">: SVG renderers (JupyterLab, GitHub, classic
 * Notebook, browsers) never show it; after clean_html strips the foreignObject,
 * the <img> is what the exported page shows.
 */
import { svgToPNG } from "./render.js";

export function withRasterFallback(svg: string, scale = 1.5): string {
  const size = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  const close = svg.lastIndexOf("</svg>");
  if (!size || close < 0) return svg;
  const png = Buffer.from(svgToPNG(svg, scale)).toString("base64");
  const img =
    `<foreignObject display="none" width="0" height="0">` +
    `<img xmlns="http://www.w3.org/1999/xhtml" width="${size[1]}" height="${size[2]}" alt="chart" src="data:image/png;base64,${png}"/>` +
    `</foreignObject>`;
  return svg.slice(0, close) + img + svg.slice(close);
}
