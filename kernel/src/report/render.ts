/**
 * An nbformat 4 notebook → one standalone HTML page: a header with the
 * notebook's title and run metadata (date, backend, machine), Markdown cells
 * rendered with their formulas, code cells highlighted with their outputs,
 * and, only when the notebook has charts, the inlined vega scripts that make
 * them interactive.
 */
import { reportAssets } from "./assets.js";
import { highlightCode } from "./highlight.js";
import { escapeHtml, scriptSafe } from "./html.js";
import { renderMarkdown } from "./markdown.js";
import { joinSource, notebookTitle, type Cell, type MarkdownCell, type Notebook } from "./notebook.js";
import { OutputContext, renderOutput } from "./outputs.js";
import { REPORT_CSS } from "./style.js";

export interface ReportOptions {
  /** Used when the notebook has neither metadata.title nor a Markdown heading. */
  fallbackTitle?: string;
  /** Source notebook path, shown in the footer. */
  sourcePath?: string;
}

// Runs after the vega bundles: embeds every chart, hides its SVG fallback once drawn.
const EMBED_SCRIPT = `
(function () {
  var charts = document.querySelectorAll(".vega-chart");
  charts.forEach(function (chart) {
    try {
      var spec = JSON.parse(chart.querySelector("script.chart-spec").textContent);
      vegaEmbed(chart.querySelector(".chart-target"), spec, { actions: false, renderer: "svg" })
        .then(function () { chart.classList.add("rendered"); })
        .catch(function (error) { chart.setAttribute("data-error", String(error)); });
    } catch (error) { chart.setAttribute("data-error", String(error)); }
  });
})();
`;

function withAttachments(html: string, cell: MarkdownCell): string {
  if (!cell.attachments) return html;
  return html.replace(/src="attachment:([^"]+)"/g, (all, name: string) => {
    const bundle = cell.attachments?.[decodeURIComponent(name)];
    const mime = bundle && Object.keys(bundle).find((m) => m.startsWith("image/"));
    if (!bundle || !mime) return all;
    const payload = bundle[mime];
    const data = mime === "image/svg+xml" ? Buffer.from(String(payload)).toString("base64") : String(payload).replace(/\s+/g, "");
    return `src="data:${mime};base64,${data}"`;
  });
}

function renderCell(cell: Cell, context: OutputContext): string {
  const source = joinSource(cell.source);
  if (cell.cell_type === "markdown") {
    return `<section class="cell markdown">${withAttachments(renderMarkdown(source), cell)}</section>`;
  }
  if (cell.cell_type === "raw") {
    return `<section class="cell raw"><pre>${escapeHtml(source)}</pre></section>`;
  }
  const prompt = `In [${cell.execution_count ?? " "}]:`;
  const outputs = cell.outputs.map((output) => renderOutput(output, context)).join("\n");
  return (
    `<section class="cell code">` +
    `<div class="input"><div class="prompt in">${escapeHtml(prompt)}</div>` +
    `<pre class="source hljs"><code class="language-typescript">${highlightCode(source)}</code></pre></div>` +
    (outputs ? `<div class="outputs">${outputs}</div>` : "") +
    `</section>`
  );
}

function runInfo(notebook: Notebook): string {
  const run = notebook.metadata["mnist-lab"];
  const kernel = notebook.metadata.kernelspec?.display_name;
  const rows: Array<[string, string | undefined]> = [
    ["Run", run?.date ? `${run.date}${run.quick ? " (quick mode)" : ""}` : "not recorded"],
    ["Backend", run?.backend],
    ["Machine", run?.machine],
    ["Duration", run?.durationSeconds === undefined ? undefined : `${run.durationSeconds.toFixed(1)} s`],
    ["Kernel", kernel],
  ];
  return rows
    .filter((row): row is [string, string] => typeof row[1] === "string" && row[1] !== "")
    .map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join("");
}

export function renderReport(notebook: Notebook, options: ReportOptions = {}): string {
  const title = notebookTitle(notebook, options.fallbackTitle ?? "Notebook");
  const context = new OutputContext();
  const body = notebook.cells.map((cell) => renderCell(cell, context)).join("\n");
  const assets = reportAssets();
  const scripts =
    context.charts > 0
      ? [...assets.chartScripts, EMBED_SCRIPT].map((source) => `<script>${scriptSafe(source)}</script>`).join("\n")
      : "";
  const footer = options.sourcePath ? `Report of ${escapeHtml(options.sourcePath)}, written by mnist-lab.` : "Written by mnist-lab.";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="mnist-lab report">
<title>${escapeHtml(title)}</title>
<style>${assets.katexCss}</style>
<style>${assets.highlightCss}</style>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header class="report-header"><h1>${escapeHtml(title)}</h1><dl class="run-info">${runInfo(notebook)}</dl></header>
${body}
<footer class="report-footer">${footer}</footer>
</main>
${scripts}
</body>
</html>
`;
}
