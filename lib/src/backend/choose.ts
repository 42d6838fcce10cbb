/**
 * Choosing and initialising the tfjs backend, once per process:
 * MNIST_LAB_BACKEND=tensorflow|wasm|cpu forces one (and fails clearly if it
 * cannot load); otherwise @tensorflow/tfjs-node if installed and loadable,
 * else wasm with our training kernels, else cpu.
 */
import * as tf from "@tensorflow/tfjs";
import * as wasmBackend from "@tensorflow/tfjs-backend-wasm";
import { registerWasmTrainingKernels } from "./kernels/register.js";
import { initWasm, requestedWasmThreads } from "./wasm-threads.js";
import { makeBackendInfo, type BackendInfo, type BackendName } from "./info.js";

export const BACKEND_ENV = "MNIST_LAB_BACKEND";
const NAMES: readonly BackendName[] = ["tensorflow", "wasm", "cpu"];

type Attempt = { ok: true; info: Omit<BackendInfo, "reason"> } | { ok: false; why: string };

function message(e: unknown): string {
  return e instanceof Error ? e.message.split("\n")[0] : String(e);
}

async function tryTensorflow(): Promise<Attempt> {
  const moduleName = "@tensorflow/tfjs-node"; // a variable, so tsc does not need its types
  try {
    require(moduleName);
  } catch (e) {
    const notInstalled = (e as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" && message(e).includes(moduleName);
    return { ok: false, why: notInstalled ? `${moduleName} is not installed` : `${moduleName} failed to load (${message(e)})` };
  }
  if (!(await tf.setBackend("tensorflow"))) return { ok: false, why: `${moduleName} loaded but its backend did not initialise` };
  return { ok: true, info: { name: "tensorflow", threads: 0, kernels: [] } };
}

async function tryWasm(): Promise<Attempt> {
  try {
    const kernels = registerWasmTrainingKernels();
    if (!(await initWasm(requestedWasmThreads()))) return { ok: false, why: "the wasm backend did not initialise" };
    return { ok: true, info: { name: "wasm", threads: wasmBackend.getThreadsCount(), kernels } };
  } catch (e) {
    return { ok: false, why: `the wasm backend failed (${message(e)})` };
  }
}

async function tryCpu(): Promise<Attempt> {
  if (!(await tf.setBackend("cpu"))) return { ok: false, why: "the cpu backend did not initialise" };
  return { ok: true, info: { name: "cpu", threads: 1, kernels: [] } };
}

const ATTEMPTS: Record<BackendName, () => Promise<Attempt>> = { tensorflow: tryTensorflow, wasm: tryWasm, cpu: tryCpu };

async function choose(): Promise<BackendInfo> {
  const forced = process.env[BACKEND_ENV]?.trim();
  if (forced) {
    if (!NAMES.includes(forced as BackendName)) {
      throw new Error(`${BACKEND_ENV}=${forced} is not a backend mnist-lab knows; use one of ${NAMES.join(", ")}`);
    }
    const attempt = await ATTEMPTS[forced as BackendName]();
    if (!attempt.ok) throw new Error(`${BACKEND_ENV}=${forced} was requested but cannot be used: ${attempt.why}`);
    return makeBackendInfo({ ...attempt.info, reason: `${forced}: forced by ${BACKEND_ENV}` });
  }
  const failures: string[] = [];
  for (const name of NAMES) {
    const attempt = await ATTEMPTS[name]();
    if (attempt.ok) {
      const reason = failures.length ? `${name}: ${failures.join("; ")}` : `${name}: the first choice`;
      return makeBackendInfo({ ...attempt.info, reason });
    }
    failures.push(attempt.why);
  }
  throw new Error(`no tfjs backend could be initialised: ${failures.join("; ")}`);
}

let choice: Promise<BackendInfo> | undefined;
let chosen: BackendInfo | undefined;

/**
 * Chooses and initialises the backend (once; later calls return the same
 * answer). Call it before building or training a model.
 */
export function ready(): Promise<BackendInfo> {
  choice ??= choose().then((info) => (chosen = info));
  return choice;
}

/** The backend `ready()` chose, or undefined before it finished. */
export function backendInfo(): BackendInfo | undefined {
  return chosen;
}
