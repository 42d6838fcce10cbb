/**
 * The display built-ins every cell sees (`display`, `display.html`, …, `clearOutput`, `input`)
 * and the host object at globalThis[Symbol.for("mnist-lab.kernel")] that libraries use
 * without importing the kernel.
 */
import { randomUUID } from "node:crypto";
import { formatDisplay, mimeFormatters, type MimeBundle } from "./format.js";

/** What the kernel offers the built-ins: sending display messages and reading a line. */
export interface DisplaySink {
  display(bundle: MimeBundle, options: { id?: string; update?: boolean; metadata?: Record<string, unknown> }): void;
  clearOutput(wait: boolean): void;
  input(prompt: string, password: boolean): Promise<string>;
  /** The running execution's interrupt signal. */
  signal(): AbortSignal;
}

/** Same symbol as lib/src/display/host.ts; re-declared so the kernel imports nothing from the library. */
export const KERNEL_HOST = Symbol.for("mnist-lab.kernel");

/** Marks display handles, which are not shown again as a cell's result. */
const HANDLE = Symbol("mnist-lab.displayHandle");
export function isDisplayHandle(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[HANDLE] === true;
}

interface Options { id?: string; metadata?: Record<string, unknown> }

export function installBuiltins(sink: DisplaySink): void {
  const show = (format: (v: any) => MimeBundle) => (value: unknown, options: Options = {}) => {
    const id = options.id ?? randomUUID();
    sink.display(format(value), { id, metadata: options.metadata });
    return {
      id,
      [HANDLE]: true,
      update(next: unknown) {
        sink.display(format(next), { id, update: true, metadata: options.metadata });
      },
    };
  };
  const display = Object.assign(show((v) => formatDisplay(v).data), {
    html: show(mimeFormatters.html),
    markdown: show(mimeFormatters.markdown),
    svg: show(mimeFormatters.svg),
    png: show(mimeFormatters.png),
    json: show(mimeFormatters.json),
  });
  const g = globalThis as Record<string | symbol, unknown>;
  g.display = display;
  g.clearOutput = (options: { wait?: boolean } = {}) => sink.clearOutput(Boolean(options.wait));
  g.input = (prompt = "", options: { password?: boolean } = {}) => sink.input(String(prompt), Boolean(options.password));
  g[KERNEL_HOST] = {
    display: (bundle: MimeBundle, options: { id?: string; update?: boolean; metadata?: Record<string, unknown> } = {}) =>
      sink.display(bundle, options),
    clearOutput: (wait = false) => sink.clearOutput(Boolean(wait)),
    get signal() {
      return sink.signal();
    },
  };
}
