/**
 * Identity without a copy: the output shares the input's buffer (reference
 * counted), as wasm's own Reshape already does; tensors are immutable and
 * variables rebind rather than overwrite. tfjs clones every tensor a gradient
 * saves, and wasm's Identity copies each one: ~180 copies per training step
 * of improvedConvNet, activations included (~8 ms of ~200).
 */
import type * as tf from "@tensorflow/tfjs";
import type { Info } from "./scope.js";

export function sharedIdentity(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: Info };
    if (x.dtype === "string" || x.dtype === "complex64") return original(args);
    (args.backend as tf.KernelBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
