/** The report's own stylesheet (inlined next to KaTeX's and highlight.js's). */
export const REPORT_CSS = `
:root { --text: #1f2328; --muted: #59636e; --border: #d1d9e0; --code-bg: #f6f8fa; --error-bg: #fff0f0; --accent: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.6 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: var(--text); background: #fff; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 32px 64px; }
header.report-header { border-bottom: 1px solid var(--border); margin-bottom: 24px; padding-bottom: 12px; }
header.report-header h1 { margin: 0 0 8px; font-size: 1.6em; line-height: 1.3; }
dl.run-info { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; color: var(--muted); font-size: 0.9em; }
dl.run-info dt { font-weight: 600; }
dl.run-info dd { margin: 0; }
.cell { margin: 0 0 16px; }
.cell.code .input { display: grid; grid-template-columns: 64px 1fr; }
.prompt { color: var(--muted); font: 12px/1.9 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; text-align: right; padding-right: 8px; }
.cell.code pre.source { margin: 0; padding: 8px 12px; background: var(--code-bg); border: 1px solid var(--border); border-radius: 6px; overflow-x: auto; }
pre, code { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.outputs { margin-left: 64px; padding-top: 4px; }
.outputs > * { margin: 4px 0; max-width: 100%; overflow-x: auto; }
.outputs pre { margin: 0; padding: 2px 0; white-space: pre-wrap; word-break: break-word; }
pre.stream.stderr { background: #fff8e6; }
pre.error-output { background: var(--error-bg); padding: 8px; border-left: 3px solid #cf222e; }
.execute-result { display: flex; align-items: flex-start; margin-left: -64px !important; }
.execute-result .prompt.out { flex: 0 0 64px; }
.execute-result > :not(.prompt) { min-width: 0; flex: 1; }
.markdown h1, .markdown h2, .markdown h3 { line-height: 1.3; }
.markdown code { background: var(--code-bg); padding: 0.1em 0.3em; border-radius: 4px; }
.markdown pre { background: var(--code-bg); padding: 8px 12px; border-radius: 6px; overflow-x: auto; }
.markdown pre code { background: none; padding: 0; }
.markdown table, .html-output table { border-collapse: collapse; margin: 8px 0; }
.markdown th, .markdown td, .html-output th, .html-output td { border: 1px solid var(--border); padding: 4px 10px; text-align: right; }
.markdown th, .html-output th { background: var(--code-bg); }
.markdown blockquote { margin: 0; padding: 0 1em; color: var(--muted); border-left: 4px solid var(--border); }
.math-block { overflow-x: auto; }
img.image-output, img.svg-output { max-width: 100%; height: auto; }
.vega-chart .chart-target:empty { display: none; }
.vega-chart.rendered .chart-fallback { display: none; }
.chart-missing, .unsupported-output { color: var(--muted); font-style: italic; }
footer.report-footer { margin-top: 48px; color: var(--muted); font-size: 0.85em; border-top: 1px solid var(--border); padding-top: 8px; }
`;
