/**
 * Tile as one broadcasting product with ones (XNNPACK, exact: x * 1 = x).
 * wasm's Tile computes every output index in a scalar loop: ~58 ms to tile a
 * [1,1,1,32] vector to [64,26,26,32], which the batch-norm gradient of tfjs
 * does for every batch-norm layer; as a product it takes ~0.5 ms.
 *
 * tile(x, reps) is x reshaped to [1,s0,1,s1,...] times ones [r0,1,r1,1,...],
 * i.e. shape [r0,s0,r1,s1,...], reshaped to [r0*s0, r1*s1, ...]. Axes of size
 * 1 are dropped and neighbours of the same kind merged, so the usual cases
 * (a per-channel vector over the batch) become rank 2.
 */
import * as tf from "@tensorflow/tfjs";
import { composed, type Info } from "./scope.js";

/** Broadcast rank the wasm binary ops are verified with; beyond it, the original kernel. */
const MAX_RANK = 4;

interface BroadcastShapes {
  x: number[];
  ones: number[];
}

/** The compacted shapes of x and of the ones it is multiplied with, or undefined when too many axes remain. */
export function tileAsBroadcast(shape: readonly number[], reps: readonly number[]): BroadcastShapes | undefined {
  const x: number[] = [];
  const ones: number[] = [];
  let last: "x" | "ones" | undefined;
  const push = (kind: "x" | "ones", size: number) => {
    if (size === 1) return;
    if (kind === last) {
      const at = x.length - 1;
      if (kind === "x") x[at] *= size;
      else ones[at] *= size;
      return;
    }
    x.push(kind === "x" ? size : 1);
    ones.push(kind === "ones" ? size : 1);
    last = kind;
  };
  shape.forEach((size, i) => {
    push("ones", reps[i]);
    push("x", size);
  });
  if (x.length === 0) return { x: [1], ones: [1] };
  return x.length <= MAX_RANK ? { x, ones } : undefined;
}

export function fastTile(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: Info };
    const { reps } = args.attrs as unknown as { reps: number[] };
    const outShape = x.shape.map((d, i) => d * reps[i]);
    const plan = x.dtype === "float32" && outShape.every((d) => d > 0) ? tileAsBroadcast(x.shape, reps) : undefined;
    if (plan === undefined) return original(args);
    return composed(args.backend as tf.KernelBackend, (s) => {
      const count = plan.ones.reduce((p, d) => p * d, 1);
      const ones = s.constant(plan.ones, new Float32Array(count).fill(1));
      return s.reshape(s.run(tf.Multiply, { a: s.reshape(x, plan.x), b: ones }), outShape);
    });
  };
}
