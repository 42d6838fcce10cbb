/**
 * BatchMatMul / _FusedMatMul with transposed operands. The wasm backend's
 * transposed products are ~5-8x slower than an explicit Transpose followed by
 * the plain (XNNPACK) product; dense-layer gradients use exactly those
 * (dW = x^T dy, dx = dy W^T). XNNPACK also repacks the right operand on every
 * call (weights change every step), so for a b^T with a large b we compute
 * (b a^T)^T, which packs the small operand instead.
 */
import * as tf from "@tensorflow/tfjs";
import { composed, type Info, type KernelScope } from "./scope.js";

function swapLastTwo(s: KernelScope, x: Info): Info {
  const rank = x.shape.length;
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return s.run(tf.Transpose, { x }, { perm });
}

const size = (x: Info) => x.shape.reduce((p, d) => p * d, 1);
const isSingleMatrix = (x: Info) => x.shape.slice(0, -2).every((d) => d === 1);

/** Wraps the original kernel: operands transposed explicitly, flags cleared. */
export function untransposedMatMul(original: tf.KernelFunc, name: string): tf.KernelFunc {
  return (args) => {
    const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean };
    const { a, b } = args.inputs as { a: Info; b: Info };
    if ((!attrs.transposeA && !attrs.transposeB) || a.dtype !== "float32" || b.dtype !== "float32") return original(args);
    const plain = { ...args.attrs, transposeA: false, transposeB: false };
    return composed(args.backend as tf.KernelBackend, (s) => {
      const onlyB = attrs.transposeB && !attrs.transposeA && name === tf.BatchMatMul;
      if (onlyB && isSingleMatrix(a) && isSingleMatrix(b) && size(b) > size(a)) {
        // a b^T = (b a^T)^T: transposes and packs a (small), not b.
        const [m, n] = [a.shape[a.shape.length - 2], b.shape[b.shape.length - 2]];
        const k = a.shape[a.shape.length - 1];
        const product = s.runFunc(original, { a: s.reshape(b, [1, n, k]), b: swapLastTwo(s, s.reshape(a, [1, m, k])) }, plain, name);
        const outShape = [...a.shape.slice(0, -2), m, n];
        return s.reshape(swapLastTwo(s, product), outShape);
      }
      const inputs = {
        ...(args.inputs as Record<string, Info>),
        a: attrs.transposeA ? swapLastTwo(s, a) : a,
        b: attrs.transposeB ? swapLastTwo(s, b) : b,
      };
      return s.runFunc(original, inputs, plain, name);
    });
  };
}
