/**
 * Calling the wasm backend's own kernels from inside one of ours.
 *
 * Our gradient kernels are compositions of the backend's fast kernels
 * (XNNPACK convolution, transpose, pad, ...). A KernelScope calls them by
 * name on the same backend, remembers every intermediate result and frees
 * them all when the composition is done, so nothing leaks even on error.
 */
import * as tf from "@tensorflow/tfjs";
import { addressOf, nativeKernels } from "../native.js";

export type Info = tf.TensorInfo;
export type Attrs = Record<string, unknown>;

/** Minimal view of the wasm backend that we rely on. */
export interface WasmBackendLike extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.backend_util.BackendValues): Info;
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } | undefined; delete(dataId: object): boolean };
  wasm: { tfjs: { disposeData(id: number): void } };
}

export class KernelScope {
  private readonly temps: Info[] = [];
  /** Tensors that alias part of another one's memory: unregistered, never freed. */
  private readonly views: Info[] = [];

  constructor(readonly backend: WasmBackendLike) {}

  /** Runs the backend's kernel `name` and tracks its output as a temporary. */
  run(name: string, inputs: Record<string, Info>, attrs: Attrs = {}): Info {
    const config = tf.getKernel(name, "wasm");
    if (config === undefined) throw new Error(`wasm kernel '${name}' is not registered`);
    return this.runFunc(config.kernelFunc, inputs, attrs, name);
  }

  /** Runs a given kernel function (e.g. the original one an override wraps). */
  runFunc(kernelFunc: tf.KernelFunc, inputs: Record<string, Info | undefined>, attrs: Attrs = {}, name = "kernel"): Info {
    const out = kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, backend: this.backend, attrs: attrs as tf.NamedAttrMap });
    if (Array.isArray(out)) throw new Error(`wasm kernel '${name}' returned several outputs; KernelScope expects one`);
    this.temps.push(out);
    return out;
  }

  reshape(x: Info, shape: number[]): Info {
    return this.run(tf.Reshape, { x }, { shape });
  }

  /** A float32 constant on the backend (freed with the scope). */
  constant(shape: number[], values: Float32Array): Info {
    const out = this.backend.makeOutput(shape, "float32", undefined, values);
    this.temps.push(out);
    return out;
  }

  /** An uninitialised float32 tensor (for our native kernels to fill). */
  empty(shape: number[]): Info {
    const out = this.backend.makeOutput(shape, "float32");
    this.temps.push(out);
    return out;
  }

  /** An int32 constant (e.g. a table of pointers for a native kernel). */
  int32(values: Int32Array): Info {
    const out = this.backend.makeOutput([values.length], "int32", undefined, values);
    this.temps.push(out);
    return out;
  }

  /**
   * A float32 tensor of `shape` over `base`'s memory from element `offset`:
   * lets the backend's kernels work on a slice without copying it.
   */
  view(base: Info, offset: number, shape: number[]): Info {
    const data = this.backend.dataIdMap.get(base.dataId);
    if (!data) throw new Error("KernelScope.view: the base tensor has no data on this backend");
    const size = shape.reduce((p, d) => p * d, 1);
    const baseSize = base.shape.reduce((p, d) => p * d, 1);
    if (base.dtype !== "float32" || offset < 0 || offset + size > baseSize) throw new Error(`KernelScope.view: [${shape}] at ${offset} does not fit in [${base.shape}]`);
    const out = this.backend.makeOutput(shape, "float32", data.memoryOffset + 4 * offset);
    this.views.push(out);
    return out;
  }

  /**
   * Pads (positive amounts) and crops (negative amounts) each axis of x:
   * `amounts[i] = [before, after]`. Padding uses `value`.
   */
  padOrCrop(x: Info, amounts: Array<[number, number]>, value = 0): Info {
    let out = x;
    if (amounts.some(([a, b]) => a < 0 || b < 0)) {
      const begin = amounts.map(([a]) => Math.max(0, -a));
      const end = amounts.map(([, b], i) => out.shape[i] - Math.max(0, -b));
      // StridedSlice: ~30% faster than wasm's Slice on 4-D tensors.
      out = this.run(tf.StridedSlice, { x: out }, {
        begin, end, strides: end.map(() => 1),
        beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
      });
    }
    if (amounts.some(([a, b]) => a > 0 || b > 0)) {
      const paddings = amounts.map(([a, b]) => [Math.max(0, a), Math.max(0, b)]);
      out = this.padsSpatialOnly(out, paddings, value) ? this.padImage(out, paddings) : this.run(tf.PadV2, { x: out }, { paddings, constantValue: value });
    }
    return out;
  }

  private padsSpatialOnly(x: Info, paddings: number[][], value: number): boolean {
    return value === 0 && x.dtype === "float32" && x.shape.length === 4 && [0, 3].every((axis) => paddings[axis][0] === 0 && paddings[axis][1] === 0);
  }

  /** Zero padding of an NHWC image's rows and columns by our C kernel: tfjs's PadV2 costs ~0.33 ms whatever the size. */
  private padImage(x: Info, paddings: number[][]): Info {
    const [n, h, w, c] = x.shape;
    const [hn, wn] = [h + paddings[1][0] + paddings[1][1], w + paddings[2][0] + paddings[2][1]];
    const out = this.empty([n, hn, wn, c]);
    const at = (info: Info) => addressOf(this.backend, info);
    nativeKernels(this.backend).raw["pad_nhwc"](at(x), at(out), n, h, w, c, hn, wn, paddings[1][0], paddings[2][0]);
    return out;
  }

  /** Frees every temporary except `result`, which the caller hands to tfjs. */
  finish(result: Info): Info {
    if (this.views.includes(result)) throw new Error("KernelScope: a view cannot be a kernel's result");
    this.dropViews();
    for (const t of this.temps) if (t !== result) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
    return result;
  }

  /** Frees every temporary (used when the composition throws). */
  abandon(): void {
    this.dropViews();
    for (const t of this.temps) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
  }

  /** Unregisters views without freeing: their memory belongs to their base. */
  private dropViews(): void {
    for (const v of this.views) {
      const data = this.backend.dataIdMap.get(v.dataId);
      if (!data) continue;
      this.backend.wasm.tfjs.disposeData(data.id);
      this.backend.dataIdMap.delete(v.dataId);
    }
    this.views.length = 0;
  }
}

/** Runs `body` in a fresh scope: the returned info survives, the rest is freed. */
export function composed(backend: tf.KernelBackend, body: (s: KernelScope) => Info): Info {
  const scope = new KernelScope(backend as WasmBackendLike);
  try {
    return scope.finish(body(scope));
  } catch (e) {
    scope.abandon();
    throw e;
  }
}
