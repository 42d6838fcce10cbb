/**
 * Running tfjs's threaded wasm build (XNNPACK with a pthread pool) under
 * Node. tfjs 4.22 disables it in Node (WASM_HAS_MULTITHREAD_SUPPORT is false
 * there, tfjs issue #3830), and two more things stand in the way:
 * - the pthread workers are started from Blob URLs, which Node's Worker
 *   cannot load: we point them at pthread-worker.js;
 * - the C++ side caps the pool at (logical cores / 2), i.e. 1 thread on a
 *   2-core machine, reading the core count once through os.cpus(): we report
 *   2 x the wanted count for the duration of the initialisation.
 * Both patches are undone as soon as the backend has initialised.
 */
// The real module object (an `import * as` namespace would be a copy we could not patch).
import os = require("node:os");
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as wasmBackend from "@tensorflow/tfjs-backend-wasm";

export const THREADS_ENV = "MNIST_LAB_WASM_THREADS";

/** Threads requested through MNIST_LAB_WASM_THREADS (default 1: see README "Backends"). */
export function requestedWasmThreads(): number {
  const raw = process.env[THREADS_ENV]?.trim();
  if (!raw) return 1;
  const n = raw === "auto" ? os.cpus().length : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 8) throw new Error(`${THREADS_ENV}=${raw} must be an integer from 1 to 8, or "auto"`);
  return n;
}

/** Initialises the wasm backend with `threads` XNNPACK threads; returns whether it initialised. */
export async function initWasm(threads: number): Promise<boolean> {
  if (threads <= 1) return tf.setBackend("wasm");
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
  wasmBackend.setThreadsCount(threads);
  const workerFile = path.join(__dirname, "pthread-worker.js");
  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  URL.createObjectURL = (obj: Blob | MediaSource) =>
    obj instanceof Blob && obj.type === "application/javascript" ? workerFile : createObjectURL(obj);
  os.cpus = () => {
    const real = cpus();
    return Array.from({ length: 2 * threads }, (_, i) => real[i % real.length]);
  };
  try {
    const ok = await tf.setBackend("wasm");
    if (ok) unrefPthreadWorkers();
    return ok;
  } finally {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
  }
}

/** Lets the process exit while pthread workers idle (emscripten keeps them referenced). */
function unrefPthreadWorkers(): void {
  const module = (tf.backend() as unknown as { wasm?: { PThread?: { unusedWorkers: Worker[]; runningWorkers: Worker[] } } }).wasm;
  const pthreads = module?.PThread;
  if (!pthreads) return;
  for (const worker of [...pthreads.unusedWorkers, ...pthreads.runningWorkers]) (worker as unknown as { unref?: () => void }).unref?.();
}
