/**
 * The seam between the library and whatever runs it. While a notebook cell
 * runs, the mnist-lab kernel puts a host object at
 * `globalThis[Symbol.for("mnist-lab.kernel")]`; in a plain Node script there is
 * none and the library falls back to the terminal and files.
 * The library never imports the kernel: this interface is the whole contract.
 */
import type { MimeBundle } from "./bundle.js";

export const KERNEL_HOST = Symbol.for("mnist-lab.kernel");

export interface DisplayOptions {
  /** A display id: later displays with `update: true` and the same id replace it in place. */
  id?: string;
  /** Replace the output shown under `id` instead of adding a new one. */
  update?: boolean;
  metadata?: Record<string, unknown>;
}

export interface KernelHost {
  display(bundle: MimeBundle, options?: DisplayOptions): void;
  /** Clear the cell's output; with `wait`, only when the next output arrives. */
  clearOutput(wait: boolean): void;
  /** Aborted when the user interrupts the running execution. */
  readonly signal: AbortSignal;
}

export function kernelHost(): KernelHost | undefined {
  return (globalThis as Record<symbol, KernelHost | undefined>)[KERNEL_HOST];
}

/** The running cell's interrupt signal, if any: long loops check it between steps. */
export function currentSignal(): AbortSignal | undefined {
  return kernelHost()?.signal;
}
