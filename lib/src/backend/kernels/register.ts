/**
 * Registers our training kernels for the wasm backend, replacing missing or
 * slow ones: 3x3 stride-1 convolutions and their gradients by Winograd
 * (winograd.ts), other convolutions with up to 576 taps (and FusedConv2D with
 * bias and relu) by a direct kernel (conv2d-direct.ts), the other
 * convolution, depthwise and max-pool gradients, and wrappers
 * that route transposed matrix products, leading-axis sums and means, Tile
 * and batch normalization (scalar loops in wasm) to XNNPACK's fast paths, and
 * an Identity that shares its input's buffer instead of copying it; and,
 * for wasm only, leaner Mean and FusedBatchNorm gradients. Replaced
 * kernels keep the backend's setup function, so their original implementation
 * stays usable (the wrappers' other cases, NCHW).
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm"; // registers the wasm backend and its kernels first
import { conv2dBackpropInput, type BackpropInputAttrs } from "./conv2d-backprop-input.js";
import { conv2dBackpropFilter, type BackpropFilterAttrs } from "./conv2d-backprop-filter.js";
import { maxPoolGrad, type MaxPoolGradAttrs } from "./max-pool-grad.js";
import { isChannelsFirst } from "./conv-geometry.js";
import type { Info } from "./scope.js";
import { untransposedMatMul } from "./matmul.js";
import { depthwiseBackpropFilter, depthwiseBackpropInput, type DepthwiseFilterAttrs, type DepthwiseInputAttrs } from "./depthwise.js";
import { meanOverLeadingAxes, sumOverLeadingAxes } from "./sum.js";
import { fastTile } from "./tile.js";
import { fastBatchNorm } from "./batch-norm.js";
import { sharedIdentity } from "./identity.js";
import { registerWasmGradients } from "./gradients.js";
import { convGeometry } from "./conv-geometry.js";
import { conv2dDirect, directConvPays } from "./conv2d-direct.js";
import { winogradApplies, winogradPaysForFilterGradient, winogradBackpropFilter, winogradBackpropInput, winogradConv2D, winogradEnabled, type WinogradTile } from "./winograd.js";

type Fallback = tf.KernelFunc | undefined;

/**
 * Not a tfjs attribute: forces Conv2D's method (tests and benchmarks):
 * "direct" (conv2d-direct.ts, any NHWC shape) or "xnnpack" (the backend's own).
 */
function convMethodOf(attrs: tf.NamedAttrMap | undefined): "direct" | "xnnpack" | undefined {
  const method = (attrs as { convMethod?: unknown } | undefined)?.convMethod;
  return method === "direct" || method === "xnnpack" ? method : undefined;
}

function unsupported(kernel: string, why: string): never {
  throw new Error(`mnist-lab wasm kernel ${kernel}: ${why}`);
}

const shape4 = (t: Info) => t.shape as [number, number, number, number];

/** One of our kernels that has no NCHW form: NCHW is refused with a clear error. */
function nhwcOnly(kernelName: string, body: (args: Parameters<tf.KernelFunc>[0]) => Info): tf.KernelConfig {
  return {
    kernelName,
    backendName: "wasm",
    kernelFunc: (args) => {
      if (isChannelsFirst(args.attrs as { dataFormat?: string })) unsupported(kernelName, "NCHW is not supported; use NHWC (channelsLast)");
      return body(args);
    },
  };
}

/** Not a tfjs attribute: forces Winograd's tile size (tests and benchmarks). */
function tileOf(attrs: tf.NamedAttrMap | undefined): WinogradTile | undefined {
  const tile = (attrs as { winogradTile?: unknown } | undefined)?.winogradTile;
  return tile === 2 || tile === 4 ? tile : undefined;
}

function kernelConfigs(original: (name: string) => tf.KernelConfig | undefined): tf.KernelConfig[] {
  const fallback = (name: string): Fallback => original(name)?.kernelFunc;
  const backpropInputFallback = fallback(tf.Conv2DBackpropInput);
  const wrapped = (name: string, wrap: (original: tf.KernelFunc) => tf.KernelFunc): tf.KernelConfig[] => {
    const config = original(name);
    return config ? [{ kernelName: name, backendName: "wasm", setupFunc: config.setupFunc, kernelFunc: wrap(config.kernelFunc) }] : [];
  };
  return [
    ...wrapped(tf.BatchMatMul, (f) => untransposedMatMul(f, tf.BatchMatMul)),
    ...wrapped(tf._FusedMatMul, (f) => untransposedMatMul(f, tf._FusedMatMul)),
    ...wrapped(tf.Sum, sumOverLeadingAxes),
    ...wrapped(tf.Mean, meanOverLeadingAxes),
    ...wrapped(tf.Tile, fastTile),
    ...wrapped(tf.FusedBatchNorm, fastBatchNorm),
    ...wrapped(tf.Identity, sharedIdentity),
    ...wrapped(tf.Conv2D, (conv2dOriginal) => (args) => {
      const { x, filter } = args.inputs as { x: Info; filter: Info };
      const attrs = args.attrs as unknown as BackpropInputAttrs;
      const method = convMethodOf(args.attrs);
      if (isChannelsFirst(attrs) || method === "xnnpack") return conv2dOriginal(args);
      const g = convGeometry(shape4(x), shape4(filter), attrs);
      if (method === "direct") return conv2dDirect(args.backend as tf.KernelBackend, x, filter, g);
      if (winogradEnabled() && winogradApplies(g)) return winogradConv2D(args.backend as tf.KernelBackend, x, filter, g, tileOf(args.attrs));
      if (directConvPays(g)) return conv2dDirect(args.backend as tf.KernelBackend, x, filter, g);
      return conv2dOriginal(args);
    }),
    ...wrapped(tf.FusedConv2D, (fusedOriginal) => (args) => {
      // Inference (model.predict) fuses bias and activation; we do bias and relu exactly, the rest falls back.
      const { x, filter, bias, preluActivationWeights } = args.inputs as { x: Info; filter: Info; bias?: Info; preluActivationWeights?: Info };
      const attrs = args.attrs as unknown as BackpropInputAttrs & { activation?: string };
      const method = convMethodOf(args.attrs);
      const co = filter.shape[3];
      const fits = !isChannelsFirst(attrs) && !preluActivationWeights && (attrs.activation === "linear" || attrs.activation === "relu") &&
        (!bias || (bias.shape.length === 1 && bias.shape[0] === co));
      if (!fits || method === "xnnpack") return fusedOriginal(args);
      const g = convGeometry(shape4(x), shape4(filter), attrs);
      if (method === "direct" || directConvPays(g)) return conv2dDirect(args.backend as tf.KernelBackend, x, filter, g, { bias, relu: attrs.activation === "relu" });
      return fusedOriginal(args);
    }),
    {
      kernelName: tf.Conv2DBackpropInput,
      backendName: "wasm",
      setupFunc: original(tf.Conv2DBackpropInput)?.setupFunc,
      kernelFunc: (args) => {
        const { dy, filter } = args.inputs as { dy: Info; filter: Info };
        const attrs = args.attrs as unknown as BackpropInputAttrs;
        if (isChannelsFirst(attrs)) {
          return backpropInputFallback ? backpropInputFallback(args) : unsupported(tf.Conv2DBackpropInput, "NCHW is not supported");
        }
        if (winogradEnabled()) {
          const g = convGeometry(attrs.inputShape, shape4(filter), attrs);
          if (winogradApplies(g)) return winogradBackpropInput(args.backend as tf.KernelBackend, dy, filter, g, tileOf(args.attrs));
        }
        return conv2dBackpropInput(args.backend as tf.KernelBackend, dy, filter, attrs);
      },
    },
    nhwcOnly(tf.Conv2DBackpropFilter, (args) => {
      const { x, dy } = args.inputs as { x: Info; dy: Info };
      const attrs = args.attrs as unknown as BackpropFilterAttrs;
      if (winogradEnabled() && attrs.method === undefined) {
        const g = convGeometry(shape4(x), attrs.filterShape, attrs);
        if (winogradApplies(g) && (winogradPaysForFilterGradient(g) || tileOf(args.attrs))) return winogradBackpropFilter(args.backend as tf.KernelBackend, x, dy, g, tileOf(args.attrs));
      }
      return conv2dBackpropFilter(args.backend as tf.KernelBackend, x, dy, attrs);
    }),
    nhwcOnly(tf.DepthwiseConv2dNativeBackpropInput, (args) => {
      const { dy, filter } = args.inputs as { dy: Info; filter: Info };
      return depthwiseBackpropInput(args.backend as tf.KernelBackend, dy, filter, args.attrs as unknown as DepthwiseInputAttrs);
    }),
    nhwcOnly(tf.DepthwiseConv2dNativeBackpropFilter, (args) => {
      const { x, dy } = args.inputs as { x: Info; dy: Info };
      return depthwiseBackpropFilter(args.backend as tf.KernelBackend, x, dy, args.attrs as unknown as DepthwiseFilterAttrs);
    }),
    {
      kernelName: tf.MaxPoolGrad,
      backendName: "wasm",
      setupFunc: original(tf.MaxPoolGrad)?.setupFunc,
      kernelFunc: (args) => {
        const { dy, input, output } = args.inputs as { dy: Info; input: Info; output: Info };
        const attrs = args.attrs as unknown as MaxPoolGradAttrs;
        return maxPoolGrad(args.backend as tf.KernelBackend, dy, input, output, attrs);
      },
    },
  ];
}

let registered: string[] | undefined;

/**
 * Registers the kernels once per process (before or after the wasm backend
 * initialises) and returns their names.
 */
export function registerWasmTrainingKernels(): string[] {
  if (registered) return registered;
  const originals = new Map<string, tf.KernelConfig>();
  for (const name of [
    tf.Conv2D, tf.FusedConv2D, tf.Conv2DBackpropInput, tf.Conv2DBackpropFilter, tf.MaxPoolGrad, tf.BatchMatMul, tf._FusedMatMul, tf.Sum,
    tf.Mean, tf.Tile, tf.FusedBatchNorm, tf.Identity,
    tf.DepthwiseConv2dNativeBackpropInput, tf.DepthwiseConv2dNativeBackpropFilter,
  ]) {
    const config = tf.getKernel(name, "wasm");
    if (config) originals.set(name, config);
  }
  const configs = kernelConfigs((name) => originals.get(name));
  for (const config of configs) {
    if (originals.has(config.kernelName)) tf.unregisterKernel(config.kernelName, "wasm");
    tf.registerKernel(config);
  }
  registerWasmGradients();
  registered = configs.map((c) => c.kernelName);
  return registered;
}
