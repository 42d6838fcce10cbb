/**
 * Runs one notebook top to bottom in a fresh kernel: each code cell in order,
 * outputs recorded into a copy, the first failing cell stops the run. The
 * copy gets the run's date, backend, machine and duration in its metadata,
 * whether the run succeeded or not (a failed run's copy shows the error).
 */
import { stripAnsi } from "../report/ansi.js";
import { joinSource, type CodeCell, type Notebook, type Output, type RunMetadata } from "../report/notebook.js";
import { startKernelSession, type CellResult, type KernelSession } from "./kernel-session.js";
import { describeMachine } from "./machine.js";
import { prepareCopy } from "./notebook-io.js";
import type { RunProgress } from "./progress.js";

export interface NotebookRunOptions {
  /** Shown in messages, e.g. "notebooks/01-data.ipynb". */
  displayPath: string;
  /** The kernel's working directory (the notebook's folder, as in Jupyter). */
  cwd: string;
  env: NodeJS.ProcessEnv;
  quick: boolean;
  cellTimeoutSeconds?: number;
  progress?: RunProgress;
}

export interface CellFailure {
  /** 1-based position among all the notebook's cells. */
  cell: number;
  cells: number;
  executionCount: number | null;
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface NotebookRunResult {
  executed: Notebook;
  failure?: CellFailure;
  seconds: number;
}

// Asks the library which backend the notebook ran on, without a trace in the notebook.
const BACKEND_PROBE = `{
  let described = "";
  try {
    const lib = require("mnist-lab");
    const info = typeof lib.backendInfo === "function" ? lib.backendInfo() : undefined;
    if (info) described = info.name + " (" + info.threads + " thread" + (info.threads === 1 ? "" : "s") + ")";
  } catch {}
  console.log("mnist-lab-backend:" + described);
}`;

async function probeBackend(session: KernelSession): Promise<string | undefined> {
  try {
    const result = await session.run(BACKEND_PROBE, { storeHistory: false });
    for (const output of result.outputs) {
      if (output.output_type !== "stream") continue;
      const match = /mnist-lab-backend:(.*)/.exec(joinSource(output.text));
      if (match) return match[1]!.trim() || undefined;
    }
  } catch {
    // the backend is a note in the metadata; a run is not failed for want of it
  }
  return undefined;
}

function errorFromOutputs(outputs: Output[]): Output | undefined {
  return outputs.find((output) => output.output_type === "error");
}

/** nbformat forbids fields outside the schema (e.g. display_data's transient). */
function cleanOutputs(outputs: Output[]): Output[] {
  return outputs.map((output) => {
    if (output.output_type === "display_data") {
      const { output_type, data, metadata } = output;
      return { output_type, data, metadata: metadata ?? {} };
    }
    if (output.output_type === "execute_result") {
      const { output_type, data, metadata, execution_count } = output;
      return { output_type, data, metadata: metadata ?? {}, execution_count: execution_count ?? null };
    }
    return output;
  });
}

// After an interrupt, how long a cell gets to stop before its kernel is killed (code that never
// yields, such as a busy loop, cannot be interrupted).
const KILL_GRACE_MS = 10_000;

async function runCell(session: KernelSession, code: string, timeoutSeconds: number | undefined) {
  if (!timeoutSeconds) return { result: await session.run(code), timedOut: false };
  let timedOut = false;
  let killer: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    void session.interrupt().catch(() => undefined);
    killer = setTimeout(() => void session.close().catch(() => undefined), KILL_GRACE_MS);
  }, timeoutSeconds * 1000);
  try {
    return { result: await session.run(code), timedOut };
  } catch (error) {
    if (!timedOut) throw error;
    const result: CellResult = { status: "error", outputs: [], executionCount: null };
    return { result, timedOut };
  } finally {
    clearTimeout(timer);
    clearTimeout(killer);
  }
}

export async function runNotebook(notebook: Notebook, options: NotebookRunOptions): Promise<NotebookRunResult> {
  const executed = prepareCopy(notebook);
  const started = Date.now();
  const date = new Date(started).toISOString();
  const cells = executed.cells.length;
  let failure: CellFailure | undefined;
  let backend: string | undefined;
  const session = await startKernelSession(options.cwd, options.env);
  try {
    for (let index = 0; index < cells; index++) {
      const cell = executed.cells[index]!;
      if (cell.cell_type !== "code") continue;
      const code = joinSource(cell.source);
      if (!code.trim()) continue;
      options.progress?.startCell(index + 1, cells);
      let outcome;
      try {
        outcome = await runCell(session, code, options.cellTimeoutSeconds);
      } catch (error) {
        // the kernel died or stopped answering: fail this cell with what we know
        failure = { cell: index + 1, cells, executionCount: null, ename: "KernelError", evalue: (error as Error).message, traceback: [] };
        break;
      }
      const { result, timedOut } = outcome;
      if (timedOut && result.status === "error" && !result.outputs.length) {
        failure = { cell: index + 1, cells, executionCount: null, ename: "Timeout", evalue: `cell did not stop within ${KILL_GRACE_MS / 1000}s of an interrupt after ${options.cellTimeoutSeconds}s (--cell-timeout); its kernel was stopped`, traceback: [] };
        break;
      }
      (cell as CodeCell).outputs = cleanOutputs(result.outputs);
      (cell as CodeCell).execution_count = result.executionCount;
      if (result.status !== "ok" || errorFromOutputs(result.outputs)) {
        const shown = errorFromOutputs(result.outputs);
        const error = result.error ?? (shown?.output_type === "error" ? shown : undefined);
        failure = {
          cell: index + 1,
          cells,
          executionCount: result.executionCount,
          ename: timedOut ? "Timeout" : (error?.ename ?? "Error"),
          evalue: timedOut ? `cell interrupted after ${options.cellTimeoutSeconds}s (--cell-timeout)` : (error?.evalue ?? `execution ${result.status}`),
          traceback: error?.traceback ?? [],
        };
        break;
      }
    }
    // also after a failure: the report of a failed run should say where it ran
    if (failure?.ename !== "KernelError") backend = await probeBackend(session);
  } finally {
    options.progress?.stopTimer();
    await session.close().catch(() => undefined);
  }
  const seconds = (Date.now() - started) / 1000;
  const run: RunMetadata = { date, machine: describeMachine(), quick: options.quick, durationSeconds: Math.round(seconds * 10) / 10 };
  if (backend) run.backend = backend;
  executed.metadata["mnist-lab"] = run;
  return { executed, failure, seconds };
}

/** "notebooks/04-train.ipynb: cell 7 of 31 (In [5]) failed: RangeError: …" */
export function describeFailure(displayPath: string, failure: CellFailure): string {
  const prompt = failure.executionCount == null ? "" : ` (In [${failure.executionCount}])`;
  const message = stripAnsi(`${failure.ename}: ${failure.evalue}`);
  return `${displayPath}: cell ${failure.cell} of ${failure.cells}${prompt} failed: ${message}`;
}
