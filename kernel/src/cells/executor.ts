/**
 * Runs compiled cells in this process's global context. Declarations live on one shared
 * `exports` object (the converter rewrites references to earlier cells' names into
 * `exports.name`), so they persist and can be redeclared. Synchronous code runs with
 * breakOnSigint (SIGINT stops `while (true) {}`); asynchronous code races the interrupt.
 */
import vm from "node:vm";
import type { CompiledCell } from "./compiler.js";
import { rememberCell } from "./errors.js";
import { LineMap } from "./source-map.js";
import { createFallbackRequire } from "./module-fallback.js";
import { LocalModules } from "./local-modules.js";

export type RunOutcome =
  | { status: "ok"; hasValue: boolean; value?: unknown }
  | { status: "error"; error: unknown; interrupted: boolean };

const SCOPE = "__mnist_lab_cell__";

function createExports(): Record<string, unknown> {
  const store: Record<string, unknown> = {};
  // Named imports arrive as getters (defineProperty): store them as plain, rewritable values.
  return new Proxy(store, {
    defineProperty(_target, prop, attrs) {
      if (prop !== "__esModule") (store as any)[prop] = attrs.get ? attrs.get() : attrs.value;
      return true;
    },
  });
}

export class CellRunner {
  private exports = createExports();
  private readonly require: NodeJS.Require;
  private readonly localModules = new LocalModules();
  private sequence = 0;

  constructor(cwd: string) {
    this.require = this.localModules.wrap(createFallbackRequire(cwd), cwd);
    (globalThis as any)[SCOPE] = { exports: this.exports, require: this.require };
  }

  /** Forgets every declaration (restart without a new process). */
  reset(): void {
    this.exports = createExports();
    (globalThis as any)[SCOPE] = { exports: this.exports, require: this.require };
  }

  async run(cell: CompiledCell, source: string, label: string, signal: AbortSignal): Promise<RunOutcome> {
    this.localModules.update(cell.sideOutputs);
    const filename = `mnist-lab-cell-${++this.sequence}`;
    rememberCell(filename, {
      label,
      source: source.split("\n"),
      firstLine: 2,
      finalMap: cell.finalMap ? LineMap.fromJson(cell.finalMap) : undefined,
      stageOneMap: cell.stageOneMap ? LineMap.fromJson(cell.stageOneMap) : undefined,
    });
    const wrapped =
      (cell.hasTopLevelAwait ? "(async function (exports, require) {\n" : "(function (exports, require) {\n") +
      cell.js +
      `\n})(globalThis.${SCOPE}.exports, globalThis.${SCOPE}.require)`;
    let result: unknown;
    try {
      result = vm.runInThisContext(wrapped, { filename, breakOnSigint: true, displayErrors: false });
    } catch (error) {
      const interrupted = (error as NodeJS.ErrnoException)?.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED";
      return { status: "error", error, interrupted };
    }
    if (cell.hasTopLevelAwait) {
      try {
        await raceAbort(result as Promise<unknown>, signal);
      } catch (error) {
        return { status: "error", error, interrupted: signal.aborted };
      }
    }
    const name = cell.lastExpressionVar;
    if (!name || !(name in this.exports)) return { status: "ok", hasValue: false };
    const value = this.exports[name];
    delete this.exports[name];
    return { status: "ok", hasValue: value !== undefined, value };
  }
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => { signal.removeEventListener("abort", onAbort); resolve(v); },
      (e) => { signal.removeEventListener("abort", onAbort); reject(e); },
    );
  });
}
