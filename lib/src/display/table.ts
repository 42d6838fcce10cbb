/**
 * A small table as a displayable value: aligned text/plain for terminals and
 * logs, text/html for notebooks and HTML reports. Used by summaries and metrics.
 */
import { DISPLAY, type Displayable, type MimeBundle } from "./bundle.js";

export interface TableOptions {
  /** column order and selection; default: keys in order of first appearance */
  columns?: readonly string[];
  title?: string;
  /** how a cell is written; default: numbers to 6 significant digits, the rest String() */
  format?: (value: unknown, column: string) => string;
  /** rows shown before "… N more rows", default 200 */
  maxRows?: number;
}

function defaultFormat(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function escapeHTML(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}

export class Table implements Displayable {
  readonly columns: readonly string[];
  /** formatted cells, row by row */
  readonly cells: readonly (readonly string[])[];
  private readonly numeric: readonly boolean[];
  private readonly hidden: number;

  constructor(
    readonly rows: readonly Record<string, unknown>[],
    readonly options: TableOptions = {},
  ) {
    const columns = options.columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
    const format = options.format ?? defaultFormat;
    const shown = rows.slice(0, options.maxRows ?? 200);
    this.columns = columns;
    this.hidden = rows.length - shown.length;
    this.cells = shown.map((row) => columns.map((column) => format(row[column], column)));
    this.numeric = columns.map((column) => shown.length > 0 && shown.every((row) => typeof row[column] === "number" || row[column] == null));
  }

  toText(): string {
    const widths = this.columns.map((column, c) => Math.max([...column].length, ...this.cells.map((row) => [...row[c]!].length)));
    const pad = (text: string, c: number) => {
      const fill = " ".repeat(widths[c]! - [...text].length);
      return this.numeric[c] ? fill + text : text + fill;
    };
    const lines = [
      this.columns.map(pad).join("  "),
      widths.map((w) => "─".repeat(w)).join("  "),
      ...this.cells.map((row) => row.map(pad).join("  ")),
    ].map((line) => line.trimEnd());
    if (this.hidden > 0) lines.push(`… ${this.hidden} more rows`);
    return (this.options.title ? `${this.options.title}\n` : "") + lines.join("\n");
  }

  toHTML(): string {
    const align = (c: number) => (this.numeric[c] ? ' style="text-align:right"' : ' style="text-align:left"');
    const head = this.columns.map((column, c) => `<th${align(c)}>${escapeHTML(column)}</th>`).join("");
    const body = this.cells
      .map((row) => `<tr>${row.map((cell, c) => `<td${align(c)}>${escapeHTML(cell)}</td>`).join("")}</tr>`)
      .join("\n");
    const caption = this.options.title ? `<caption>${escapeHTML(this.options.title)}</caption>` : "";
    const more = this.hidden > 0 ? `\n<tr><td colspan="${this.columns.length}">… ${this.hidden} more rows</td></tr>` : "";
    return `<table class="mnist-lab-table">${caption}\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}${more}\n</tbody>\n</table>`;
  }

  [DISPLAY](): MimeBundle {
    return { "text/plain": this.toText(), "text/html": this.toHTML() };
  }
}

/** Rows of records as a table (aligned text and HTML). */
export function table(rows: readonly Record<string, unknown>[], options?: TableOptions): Table {
  return new Table(rows, options);
}
