/**
 * A small executed notebook with every kind of output the report writer
 * handles: Markdown with inline and display LaTeX, a highlighted code cell,
 * ANSI-coloured stream text, an error, a PNG, a table and a Vega-Lite chart
 * with its SVG fallback.
 */
import type { Notebook } from "../../kernel/src/report/notebook.js";

// a 4×4 PNG with black and white pixels (fast-png output, base64)
export function chartSpec(): Record<string, unknown> {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    width: 400,
    height: 200,
    data: { values: [{ x: 1, y: 2 }, { x: 2, y: 5 }, { x: 3, y: 3 }, { x: 4, y: 8 }] },
    mark: "bar",
    encoding: { x: { field: "x", type: "ordinal" }, y: { field: "y", type: "quantitative" } },
  };
}

export const FALLBACK_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200"><rect width="400" height="200" fill="#ff00ff"/><text x="10" y="20">fallback</text></svg>';

export function sampleNotebook(png: string): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      title: "Sample report §4.1 (数学模型构建)",
      kernelspec: { name: "mnist-lab", display_name: "TypeScript (mnist-lab)", language: "typescript" },
      "mnist-lab": { date: "2026-11-28T15:00:00.000Z", backend: "wasm", machine: "test machine, 2 cores", quick: true },
    },
    cells: [
      {
        cell_type: "markdown",
        id: "md-1",
        metadata: {},
        source: [
          "# Cross-entropy\n",
          "\n",
          "The loss is $L = -\\sum_i y_i \\log \\hat{y}_i$ and costs $5 and $6 stay text.\n",
          "\n",
          "$$\n",
          "\\theta \\leftarrow \\theta - \\eta \\nabla_{\\theta} L\n",
          "$$\n",
          "\n",
          "| layer | output |\n|---|---|\n| conv1 | 26×26×32 |\n",
        ],
      },
      {
        cell_type: "code",
        id: "code-1",
        metadata: {},
        execution_count: 1,
        source: 'const answer: number = 42;\nconsole.log("\\x1b[31mred\\x1b[0m", answer);\nanswer',
        outputs: [
          { output_type: "stream", name: "stdout", text: ["\u001b[31mred\u001b[0m 42\n", "progress 10%\rprogress 100%\n"] },
          { output_type: "execute_result", execution_count: 1, data: { "text/plain": "42" }, metadata: {} },
        ],
      },
      {
        cell_type: "code",
        id: "code-2",
        metadata: {},
        execution_count: 2,
        source: "showChart()",
        outputs: [
          {
            output_type: "display_data",
            data: { "application/vnd.vegalite.v5+json": chartSpec(), "image/svg+xml": FALLBACK_SVG, "text/plain": "<chart>" },
            metadata: {},
          },
          { output_type: "display_data", data: { "image/png": png, "text/plain": "<image>" }, metadata: {} },
          {
            output_type: "display_data",
            data: { "text/html": "<table class=\"summary\"><tr><th>layer</th><th>params</th></tr><tr><td>conv1</td><td>320</td></tr></table>" },
            metadata: {},
          },
        ],
      },
      {
        cell_type: "code",
        id: "code-3",
        metadata: {},
        execution_count: 3,
        source: "throw new Error('boom')",
        outputs: [
          { output_type: "stream", name: "stderr", text: "warning </script> <b>not bold</b>\n" },
          { output_type: "error", ename: "Error", evalue: "boom", traceback: ["\u001b[31mError\u001b[0m: boom", "    at cell 3"] },
        ],
      },
    ],
  };
}
