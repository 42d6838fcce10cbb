/**
 * A standalone HTML page for a chart: vega, vega-lite and vega-embed are
 * inlined from node_modules, so the page renders offline and interactively.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { TopLevelSpec } from "vega-lite";

let scripts: string | undefined;

function inlineScript(path: string): string {
  // "</script" inside the library text would end the element early
  return `<script>${readFileSync(path, "utf8").replace(/<\/script/gi, "<\\/script")}</script>`;
}

function libraryScripts(): string {
  scripts ??= [
    require.resolve("vega/build/vega.min.js"),
    require.resolve("vega-lite/build/vega-lite.min.js"),
    join(dirname(require.resolve("vega-embed")), "vega-embed.min.js"),
  ]
    .map(inlineScript)
    .join("\n");
  return scripts;
}

function escapeHTML(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}

export function standaloneHTML(spec: TopLevelSpec, title: string): string {
  const json = JSON.stringify(spec).replace(/</g, "\\u003c");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHTML(title)}</title>
${libraryScripts()}
</head>
<body>
<div id="chart"></div>
<script>
vegaEmbed("#chart", ${json}, { actions: { export: true, source: false, compiled: false, editor: false } })
  .catch((error) => { document.getElementById("chart").textContent = "Chart failed to render: " + error; });
</script>
</body>
</html>
`;
}
