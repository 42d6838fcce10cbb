/**
 * BatchMatMul / _FusedMatMul for wasm.
 *
 * Transposed operands: the wasm backend's transposed products are ~5-8x
 * slower than an explicit Transpose followed by the plain product; dense-layer
 * gradients use exactly those (dW = x^T dy, dx = dy W^T). For a b^T with a
 * large b we compute (b a^T)^T, which transposes the small operand instead.
 *
 * Plain products: XNNPACK packs the right operand for every new b tensor
 * (it caches the packing per tensor; weights are new tensors every training
 * step), which costs more than the product itself when b is large and a
 * has few rows. Our kernel (lib/native/gemm.c) reads b in place;
 * `prefersNative` says where it wins.
 */
import * as tf from "@tensorflow/tfjs";
import * as wasmBackend from "@tensorflow/tfjs-backend-wasm";
import { composed, type Info, type KernelScope } from "./scope.js";
import { addressOf, nativeKernels } from "../native.js";

interface MatMulAttrs {
  transposeA?: boolean;
  transposeB?: boolean;
  activation?: string;
  /** Not a tfjs attribute: true forces our kernel where it applies, false forbids it (tests and benchmarks). */
  nativeGemm?: boolean;
}

function swapLastTwo(s: KernelScope, x: Info): Info {
  const rank = x.shape.length;
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return s.run(tf.Transpose, { x }, { perm });
}

const size = (x: Info) => x.shape.reduce((p, d) => p * d, 1);
const isSingleMatrix = (x: Info) => x.shape.slice(0, -2).every((d) => d === 1);

/**
 * Where our kernel beats XNNPACK for an [m,k] x [k,n] product, as measured
 * in V8 on x64 (a fresh b tensor each call, so XNNPACK packs it each time):
 * single-threaded it wins on every shape tried (1.2-18x; the seed's dense
 * layer [32,1600]x[1600,128]: 0.24 vs 0.73-0.95 ms) except n a multiple of 1024
 * with m >= 128 ([256,1024]x[1024,1024]: 19 vs 14 ms), where b's rows, 4 KiB
 * apart, share cache sets and XNNPACK's packed copy wins (even when
 * XNNPACK's packing is cached, for a b used again, ours wins single-threaded:
 * [32,1600]x[1600,128] 0.24 vs 0.29 ms). With more XNNPACK threads ours
 * (one thread) wins only while packing dominates: few rows, and a b that
 * changes every call ([32,1600]x[1600,128]: 0.24 vs 0.59 ms;
 * [1000,1600]x[1600,128]: 7.2 vs 4.9 ms). _FusedMatMul is mostly inference
 * (model.predict), with weights XNNPACK keeps packed: 2 threads do
 * [32,1600]x[1600,128] + bias, relu in 0.16 ms, ours in 0.24 ms.
 */
export function prefersNative(m: number, n: number, threads: number, fused: boolean): boolean {
  return threads === 1 ? m < 128 || n % 1024 !== 0 : !fused && m < 128;
}

/**
 * C = A B (+ bias, relu) by our kernel, or undefined where it does not apply:
 * batch dimensions that broadcast other than one side being a single matrix,
 * a bias that is not [n], activations other than linear and relu.
 */
function nativeProduct(s: KernelScope, inputs: Record<string, Info | undefined>, attrs: MatMulAttrs, fused: boolean): Info | undefined {
  const { a, b, bias, preluActivationWeights } = inputs;
  if (!a || !b || a.dtype !== "float32" || b.dtype !== "float32" || preluActivationWeights) return undefined;
  const activation = attrs.activation ?? "linear";
  if (activation !== "linear" && activation !== "relu") return undefined;
  const [m, k] = a.shape.slice(-2);
  const [kb, n] = b.shape.slice(-2);
  if (a.shape.length < 2 || b.shape.length < 2 || k !== kb) return undefined;
  if (bias && (bias.dtype !== "float32" || bias.shape.length !== 1 || bias.shape[0] !== n)) return undefined;
  const batchShape = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = batchShape.reduce((p, d) => p * d, 1);
  const [batchA, batchB] = [size(a) / (m * k) || 0, size(b) / (k * n) || 0];
  // Each side is one matrix for all, or has the output's batch layout (a size equal to it implies that).
  if (m * k > 0 && batchA !== 1 && batchA !== batch) return undefined;
  if (k * n > 0 && batchB !== 1 && batchB !== batch) return undefined;
  // Batches: the backend's kernel uses XNNPACK for single matrices only (a scalar loop otherwise, ~16x slower than ours).
  const wanted = attrs.nativeGemm ?? (batch > 1 || prefersNative(m, n, wasmBackend.getThreadsCount(), fused));
  if (!wanted) return undefined;
  const c = s.empty([...batchShape, m, n]);
  if (batch * m * n === 0) return c;
  const at = (x: Info) => addressOf(s.backend, x);
  // With k == 0, a and b may have no memory at all: the kernel reads neither.
  const [pa, pb] = k === 0 ? [0, 0] : [at(a), at(b)];
  nativeKernels(s.backend).raw["gemm"](
    pa, pb, at(c), bias ? at(bias) : 0, batch, m, k, n,
    batchA === 1 ? 0 : m * k, batchB === 1 ? 0 : k * n, activation === "relu" ? 1 : 0,
  );
  return c;
}

/** Wraps the original kernel: operands transposed explicitly, flags cleared; plain products by ours where it wins. */
export function untransposedMatMul(original: tf.KernelFunc, name: string): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as tf.KernelBackend;
    const attrs = args.attrs as MatMulAttrs;
    const inputs = args.inputs as Record<string, Info | undefined>;
    const { a, b } = inputs as { a: Info; b: Info };
    if (a.dtype !== "float32" || b.dtype !== "float32") return original(args);
    const plain = { ...args.attrs, transposeA: false, transposeB: false };
    /** A product without transposes: ours where it wins, else the original. */
    const product = (s: KernelScope, operands: Record<string, Info | undefined>): Info =>
      nativeProduct(s, operands, plain, name === tf._FusedMatMul) ?? s.runFunc(original, operands, plain, name);
    return composed(backend, (s) => {
      if (!attrs.transposeA && !attrs.transposeB) return product(s, inputs);
      const onlyB = attrs.transposeB && !attrs.transposeA && name === tf.BatchMatMul;
      if (onlyB && isSingleMatrix(a) && isSingleMatrix(b) && size(b) > size(a)) {
        // a b^T = (b a^T)^T: transposes a (small), not b.
        const [m, n] = [a.shape[a.shape.length - 2], b.shape[b.shape.length - 2]];
        const k = a.shape[a.shape.length - 1];
        const p = product(s, { a: s.reshape(b, [1, n, k]), b: swapLastTwo(s, s.reshape(a, [1, m, k])) });
        const outShape = [...a.shape.slice(0, -2), m, n];
        return s.reshape(swapLastTwo(s, p), outShape);
      }
      return product(s, {
        ...inputs,
        a: attrs.transposeA ? swapLastTwo(s, a) : a,
        b: attrs.transposeB ? swapLastTwo(s, b) : b,
      });
    });
  };
}
