/**
 * mnist-lab's own wasm kernels (C in lib/native/, built by lib/native/build.sh
 * and committed), instantiated on the wasm backend's memory so they read and
 * write tfjs's tensors in place: no copies, and no per-element JavaScript.
 * The threaded tfjs build has a shared memory, which needs the shared build.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as tf from "@tensorflow/tfjs";
import type { Info } from "./kernels/scope.js";

type Gather = (
  src: number, dst: number, stride: number, n: number, h: number, w: number, c: number,
  tilesH: number, tilesW: number, step: number, top: number, left: number,
) => void;
type Scatter = (
  planes: number, dst: number, n: number, h: number, w: number, c: number,
  tilesH: number, tilesW: number, step: number, top: number, left: number, accumulate: number,
) => void;

/** The Winograd transforms of one tile size (see lib/native/winograd.c). */
export interface WinogradTransforms {
  input: Gather;
  gradient: Gather;
  filter: Gather;
  output: Scatter;
  inputAdjoint: Scatter;
  filterAdjoint: Scatter;
}

/** The C exports (pointers are byte offsets into tfjs's memory). */
export interface NativeKernels {
  fill(p: number, count: number, value: number): void;
  winograd: Record<2 | 4, WinogradTransforms>;
  /** Any export by name (typed wrappers live next to the kernel that uses it). */
  raw: Record<string, (...args: number[]) => number>;
}

interface WasmModuleLike {
  asm?: Record<string, unknown>;
  wasmMemory?: WebAssembly.Memory;
}

interface WasmBackendInternals {
  wasm: WasmModuleLike;
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
}

export const NATIVE_DIR = path.join(__dirname, "..", "..", "native");

const instances = new WeakMap<object, NativeKernels>();

function memoryOf(module: WasmModuleLike): WebAssembly.Memory {
  const memory = module.wasmMemory ?? module.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) throw new Error("mnist-lab native kernels: the wasm backend exposes no WebAssembly.Memory");
  return memory;
}

/** Our kernels, bound to this backend's memory (instantiated once per backend). */
export function nativeKernels(backend: tf.KernelBackend): NativeKernels {
  const module = (backend as unknown as WasmBackendInternals).wasm;
  let kernels = instances.get(module);
  if (kernels) return kernels;
  const memory = memoryOf(module);
  const shared = typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer;
  const file = path.join(NATIVE_DIR, shared ? "kernels-shared.wasm" : "kernels.wasm");
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new Error(`mnist-lab native kernels: cannot read ${file} (${(e as Error).message}); rebuild with lib/native/build.sh`);
  }
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  } catch (e) {
    // e.g. an engine without wasm SIMD; MNIST_LAB_BACKEND=cpu still works there.
    throw new Error(`mnist-lab native kernels: ${file} does not load in this engine (${(e as Error).message})`);
  }
  const fns = instance.exports as Record<string, (...args: number[]) => number>;
  const transforms = (m: 2 | 4): WinogradTransforms => ({
    input: fns[`wino${m}_input`],
    gradient: fns[`wino${m}_gradient`],
    filter: fns[`wino${m}_filter`],
    output: fns[`wino${m}_output`],
    inputAdjoint: fns[`wino${m}_input_adjoint`],
    filterAdjoint: fns[`wino${m}_filter_adjoint`],
  });
  kernels = { fill: fns.fill, winograd: { 2: transforms(2), 4: transforms(4) }, raw: fns as NativeKernels["raw"] };
  instances.set(module, kernels);
  return kernels;
}

/** Byte offset of a tensor's data in the backend's memory. */
export function addressOf(backend: tf.KernelBackend, info: Info): number {
  const data = (backend as unknown as WasmBackendInternals).dataIdMap.get(info.dataId);
  if (!data) throw new Error(`mnist-lab native kernels: tensor ${JSON.stringify(info.shape)} has no data on the wasm backend`);
  return data.memoryOffset;
}
