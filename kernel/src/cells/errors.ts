/** Turning compile diagnostics and runtime errors into Jupyter `error` content with the cell's own lines. */
import { inspect } from "node:util";
import type { CellDiagnostic } from "./compiler.js";
import { LineMap } from "./source-map.js";

export interface ErrorContent { ename: string; evalue: string; traceback: string[] }

/** What we keep about each executed cell so stack frames in it can be mapped back, even later. */
export interface CellRecord { label: string; source: string[]; finalMap?: LineMap; stageOneMap?: LineMap; firstLine: number }

const cells = new Map<string, CellRecord>();

export function rememberCell(filename: string, record: CellRecord): void {
  cells.set(filename, record);
}

export function forgetCells(): void {
  cells.clear();
}

/** Maps a 1-based line:column in a cell script to the 1-based line:column in the cell. */
function mapPosition(cell: CellRecord, line: number, column: number): { line: number; column: number } | undefined {
  const generated = { line: line - cell.firstLine, column: column - 1 };
  const esm = cell.finalMap?.lookup(generated);
  const ts = esm && cell.stageOneMap?.lookup(esm);
  // line 0 of the compiled source is tslab's `export {};` prefix
  return ts && ts.line >= 1 ? { line: ts.line, column: ts.column + 1 } : undefined;
}

function excerpt(cell: CellRecord, line: number, column: number): string[] {
  const text = cell.source[line - 1];
  if (text === undefined) return [];
  const gutter = `${line} | `;
  return [`${cell.label}, line ${line}:`, `> ${gutter}${text}`, `  ${" ".repeat(gutter.length + column - 1)}^`];
}

export function diagnosticsError(diagnostics: CellDiagnostic[], source: string, label: string): ErrorContent {
  const lines = source.split("\n");
  const traceback: string[] = [];
  for (const d of diagnostics) {
    traceback.push(`${label}, line ${d.line + 1}:${d.column + 1} - error TS${d.code}: ${d.message}`);
    const text = lines[d.line];
    if (text !== undefined) {
      const gutter = `${d.line + 1} | `;
      traceback.push(`  ${gutter}${text}`, `  ${" ".repeat(gutter.length + d.column)}^`);
    }
  }
  const first = diagnostics[0];
  return {
    ename: "TypeScript error",
    evalue: `line ${first.line + 1}:${first.column + 1}: ${first.message}`,
    traceback,
  };
}

export function interruptedError(): ErrorContent {
  return { ename: "Interrupted", evalue: "the execution was interrupted", traceback: ["Interrupted: the execution was interrupted"] };
}

const FRAME = /^(\s*at (?:async )?(?:(.*?) \()?)(mnist-lab-cell-\d+):(\d+):(\d+)(\)?)$/;

/** An error thrown by cell code, with frames in cells rewritten to `Cell In[n], line L:C`. */
export function runtimeError(error: unknown): ErrorContent {
  if (!(error instanceof Error) && !(typeof error === "object" && error !== null && "stack" in error)) {
    const shown = inspect(error, { colors: false });
    return { ename: "Uncaught", evalue: shown, traceback: [`Uncaught ${shown}`] };
  }
  const err = error as Error;
  const ename = err.name || err.constructor?.name || "Error";
  const evalue = err.message ?? "";
  const stack = String(err.stack ?? `${ename}: ${evalue}`).split("\n");
  const traceback: string[] = [];
  let firstCellFrame: { cell: CellRecord; line: number; column: number } | undefined;
  for (const line of stack) {
    const m = FRAME.exec(line);
    if (m) {
      const cell = cells.get(m[3]);
      const pos = cell && mapPosition(cell, Number(m[4]), Number(m[5]));
      if (cell && pos) {
        firstCellFrame ??= { cell, ...pos };
        // earlier cells' functions are called through the shared `exports` proxy
        traceback.push(`${m[1].replace("at Proxy.", "at ")}${cell.label}, line ${pos.line}:${pos.column}${m[6]}`);
      }
      continue; // unmapped cell frames are the kernel's wrapper around the cell
    }
    if (/^\s*at /.test(line) && (line.includes("node:internal") || line.includes("node:vm") || line.includes(__dirname.replace(/cells$/, "")))) continue;
    traceback.push(line);
  }
  if (firstCellFrame) traceback.push("", ...excerpt(firstCellFrame.cell, firstCellFrame.line, firstCellFrame.column));
  return { ename, evalue, traceback };
}
