/**
 * One nbformat output → HTML. Rich outputs use the richest type the report can
 * show: Vega-Lite charts (interactive, with their SVG as the fallback shown when
 * scripts do not run), HTML, SVG, PNG/JPEG, Markdown, LaTeX, JSON, plain text.
 */
import { ansiToHtml } from "./ansi.js";
import { escapeHtml, jsonForScript } from "./html.js";
import { renderMarkdown, renderMath } from "./markdown.js";
import { joinSource, type MimeData, type Output } from "./notebook.js";

export const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";
const VEGA_LITE_MIMES = [VEGA_LITE_MIME, "application/vnd.vegalite.v4+json"];

/** Counts charts across a report so each gets a unique element id. */
export class OutputContext {
  charts = 0;
}

function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.join("");
  return JSON.stringify(value, null, 2);
}

function base64(value: unknown): string {
  return text(value).replace(/\s+/g, "");
}

function dataUrl(mime: string, payload: string): string {
  return `data:${mime};base64,${payload}`;
}

function svgImage(svg: string, alt: string): string {
  return `<img class="svg-output" alt="${escapeHtml(alt)}" src="${dataUrl("image/svg+xml", Buffer.from(svg, "utf8").toString("base64"))}">`;
}

function chart(spec: unknown, fallbackSvg: string | undefined, context: OutputContext): string {
  const id = `chart-${++context.charts}`;
  const fallback = fallbackSvg
    ? svgImage(fallbackSvg, "chart (static SVG)")
    : `<p class="chart-missing">This chart needs JavaScript.</p>`;
  return (
    `<div class="vega-chart" id="${id}">` +
    `<div class="chart-target"></div>` +
    `<div class="chart-fallback">${fallback}</div>` +
    `<script type="application/json" class="chart-spec">${jsonForScript(spec)}</script>` +
    `</div>`
  );
}

function richData(data: MimeData, metadata: Record<string, unknown>, context: OutputContext): string {
  const vegaLite = VEGA_LITE_MIMES.find((mime) => data[mime] !== undefined);
  if (vegaLite) {
    const svg = data["image/svg+xml"];
    return chart(data[vegaLite], svg === undefined ? undefined : text(svg), context);
  }
  if (data["text/html"] !== undefined) return `<div class="html-output">${text(data["text/html"])}</div>`;
  if (data["image/svg+xml"] !== undefined) return svgImage(text(data["image/svg+xml"]), "image");
  for (const mime of ["image/png", "image/jpeg", "image/gif"]) {
    if (data[mime] === undefined) continue;
    const size = (metadata[mime] ?? {}) as { width?: number; height?: number };
    const dims = `${size.width ? ` width="${Number(size.width)}"` : ""}${size.height ? ` height="${Number(size.height)}"` : ""}`;
    return `<img class="image-output" alt="image"${dims} src="${dataUrl(mime, base64(data[mime]))}">`;
  }
  if (data["text/markdown"] !== undefined) return `<div class="markdown-output">${renderMarkdown(text(data["text/markdown"]))}</div>`;
  if (data["text/latex"] !== undefined) {
    const tex = text(data["text/latex"]).trim().replace(/^\$\$?|\$\$?$/g, "");
    return `<div class="latex-output">${renderMath(tex, true)}</div>`;
  }
  if (data["application/json"] !== undefined) return `<pre class="json-output">${escapeHtml(text(data["application/json"]))}</pre>`;
  if (data["text/plain"] !== undefined) return `<pre class="text-output">${ansiToHtml(text(data["text/plain"]))}</pre>`;
  const types = Object.keys(data).join(", ") || "nothing";
  return `<p class="unsupported-output">(output of type ${escapeHtml(types)} not shown in this report)</p>`;
}

export function renderOutput(output: Output, context: OutputContext): string {
  switch (output.output_type) {
    case "stream":
      return `<pre class="stream ${output.name}">${ansiToHtml(joinSource(output.text))}</pre>`;
    case "error": {
      const trace = output.traceback?.length ? output.traceback.join("\n") : `${output.ename}: ${output.evalue}`;
      return `<pre class="error-output">${ansiToHtml(trace)}</pre>`;
    }
    case "display_data":
      return `<div class="display-output">${richData(output.data, output.metadata ?? {}, context)}</div>`;
    case "execute_result": {
      const prompt = output.execution_count == null ? "" : `Out[${output.execution_count}]:`;
      return `<div class="execute-result"><div class="prompt out">${prompt}</div>${richData(output.data, output.metadata ?? {}, context)}</div>`;
    }
    default:
      return `<p class="unsupported-output">(unknown output ${escapeHtml(String((output as { output_type?: unknown }).output_type))})</p>`;
  }
}
