/**
 * Each mnist-lab wasm kernel against tfjs's cpu backend on randomly drawn
 * shapes (batch 1-64, channels 1-64, spatial 1-32, within a compute budget so
 * the cpu reference stays quick), every stride/padding/dilation combination,
 * fresh non-zero data: relative error < 1e-4. The seed is printed; replay a
 * failure with MNIST_LAB_TEST_SEED=<seed>.
 */
import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { SEED, int, makeRng, relativeError, runOn, values, type KernelRun, useWasmKernels } from "./helpers.js";

const TOLERANCE = 1e-4;
const MAC_BUDGET = 4e6;

useWasmKernels("backend kernel");

async function expectAgreement(run: KernelRun, reference: KernelRun = run, pick?: (v: Float32Array) => Float32Array) {
  const expected = await runOn("cpu", reference);
  const actual = await runOn("wasm", run);
  const want = pick ? pick(expected.values) : expected.values;
  expect(actual.values.length).toBe(want.length);
  expect(relativeError(actual.values, want)).toBeLessThan(TOLERANCE);
}

type Padding = "same" | "valid" | "explicit";

interface ConvCase {
  x: number[];
  filter: number[];
  strides: [number, number];
  dilations: [number, number];
  pad: "same" | "valid" | number[][];
  dy: number[];
}

/** Draws a convolution geometry; shrinks batch/channels until the cpu reference fits the budget. */
function drawConv(rng: () => number, stride: number, padding: Padding, dilation: number, maxInChannels = 64): ConvCase {
  for (;;) {
    let [n, ci, co] = [int(rng, 1, 64), int(rng, 1, maxInChannels), int(rng, 1, 64)];
    const [kh, kw] = [int(rng, 1, 4), int(rng, 1, 4)];
    const effH = (kh - 1) * dilation + 1;
    const effW = (kw - 1) * dilation + 1;
    const pad: ConvCase["pad"] =
      padding === "explicit" ? [[0, 0], [int(rng, 0, 2), int(rng, 0, 2)], [int(rng, 0, 2), int(rng, 0, 2)], [0, 0]] : padding;
    const extraH = Array.isArray(pad) ? pad[1][0] + pad[1][1] : 0;
    const extraW = Array.isArray(pad) ? pad[2][0] + pad[2][1] : 0;
    const minH = padding === "same" ? 1 : Math.max(1, effH - extraH);
    const minW = padding === "same" ? 1 : Math.max(1, effW - extraW);
    const [h, w] = [int(rng, minH, 32), int(rng, minW, 32)];
    const info = tf.backend_util.computeConv2DInfo([n, h, w, ci], [kh, kw, ci, co], [stride, stride], [dilation, dilation], pad as never);
    const macs = () => n * info.outHeight * info.outWidth * effH * effW * ci * co;
    while (macs() > MAC_BUDGET) {
      if (n >= ci && n >= co) n = Math.ceil(n / 2);
      else if (ci >= co) ci = Math.ceil(ci / 2);
      else co = Math.ceil(co / 2);
    }
    return {
      x: [n, h, w, ci],
      filter: [kh, kw, ci, co],
      strides: [stride, stride],
      dilations: [dilation, dilation],
      pad,
      dy: [n, info.outHeight, info.outWidth, co],
    };
  }
}

/** The filter with dilation made explicit (zeros between taps): tfjs's cpu gradients take no dilation. */
function dilateFilter(shape: number[], data: Float32Array, d: number): { shape: number[]; values: Float32Array } {
  const [kh, kw, ci, co] = shape;
  const [dh, dw] = [(kh - 1) * d + 1, (kw - 1) * d + 1];
  const out = new Float32Array(dh * dw * ci * co);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++) out.set(data.subarray((i * kw + j) * ci * co, (i * kw + j + 1) * ci * co), (i * d * dw + j * d) * ci * co);
  return { shape: [dh, dw, ci, co], values: out };
}

function tapsOf(dilatedGrad: Float32Array, shape: number[], d: number): Float32Array {
  const [kh, kw, ci, co] = shape;
  const dw = (kw - 1) * d + 1;
  const out = new Float32Array(kh * kw * ci * co);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++) out.set(dilatedGrad.subarray((i * d * dw + j * d) * ci * co, (i * d * dw + j * d + 1) * ci * co), (i * kw + j) * ci * co);
  return out;
}

const combos: Array<[number, Padding, number]> = [];
for (const stride of [1, 2]) for (const padding of ["same", "valid", "explicit"] as Padding[]) for (const dilation of [1, 2]) combos.push([stride, padding, dilation]);

describe("Conv2DBackpropInput (wasm) matches cpu", () => {
  const rng = makeRng(SEED);
  it.each(combos)("stride %i, padding %s, dilation %i", async (stride, padding, dilation) => {
    const c = drawConv(rng, stride, padding, dilation);
    const filter = values(rng, c.filter);
    const dy = values(rng, c.dy);
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: "NHWC", dimRoundingMode: undefined, inputShape: c.x };
    const dilated = dilateFilter(c.filter, filter, dilation);
    await expectAgreement(
      { name: tf.Conv2DBackpropInput, inputs: { dy: { shape: c.dy, values: dy }, filter: { shape: c.filter, values: filter } }, attrs: { ...attrs, dilations: c.dilations } },
      { name: tf.Conv2DBackpropInput, inputs: { dy: { shape: c.dy, values: dy }, filter: dilated }, attrs },
    );
  });
});

// Both methods: a convolution with batch and channels swapped (the default), and
// im2col-by-convolution + one product (chosen when few taps feed each output channel).
describe.each([
  ["swapped", 64],
  ["patches", 4],
] as const)("Conv2DBackpropFilter (wasm, missing in tfjs) matches cpu, method %s", (method, maxInChannels) => {
  const rng = makeRng(SEED + (method === "swapped" ? 1 : 4));
  it.each(combos)("stride %i, padding %s, dilation %i", async (stride, padding, dilation) => {
    const c = drawConv(rng, stride, padding, dilation, maxInChannels);
    const x = values(rng, c.x);
    const dy = values(rng, c.dy);
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: "NHWC", dimRoundingMode: undefined };
    const dilatedShape = dilateFilter(c.filter, new Float32Array(c.filter.reduce((p, d) => p * d, 1)), dilation).shape;
    await expectAgreement(
      { name: tf.Conv2DBackpropFilter, inputs: { x: { shape: c.x, values: x }, dy: { shape: c.dy, values: dy } }, attrs: { ...attrs, filterShape: c.filter, dilations: c.dilations, method } },
      { name: tf.Conv2DBackpropFilter, inputs: { x: { shape: c.x, values: x }, dy: { shape: c.dy, values: dy } }, attrs: { ...attrs, filterShape: dilatedShape } },
      (v) => tapsOf(v, c.filter, dilation),
    );
  });
});

describe("MaxPoolGrad (wasm) matches cpu, first maximum wins", () => {
  const rng = makeRng(SEED + 2);
  const cases: Array<[number, number, "same" | "valid", boolean]> = [];
  for (const size of [2, 3]) for (const stride of [1, 2]) for (const pad of ["same", "valid"] as const) cases.push([size, stride, pad, false]);
  cases.push([2, 2, "valid", true], [2, 2, "same", true], [3, 2, "same", true]);
  it.each(cases)("window %i, stride %i, padding %s, ties %s", async (size, stride, pad, ties) => {
    let [n, c] = [int(rng, 1, 64), int(rng, 1, 64)];
    const [h, w] = [int(rng, size, 32), int(rng, size, 32)];
    while (n * c * h * w > 3e5) [n, c] = n > c ? [Math.ceil(n / 2), c] : [n, Math.ceil(c / 2)];
    const shape = [n, h, w, c];
    // Ties: small integers (many equal values per window, as after a relu).
    const input = ties ? values(rng, shape).map((v) => Math.max(0, Math.round(v * 2))) : values(rng, shape);
    const attrs = { filterSize: [size, size], strides: [stride, stride], pad, dimRoundingMode: undefined };
    const output = await runOn("cpu", { name: tf.MaxPool, inputs: { x: { shape, values: input } }, attrs });
    const dy = values(rng, output.shape);
    await expectAgreement({
      name: tf.MaxPoolGrad,
      inputs: { dy: { shape: output.shape, values: dy }, input: { shape, values: input }, output: { shape: output.shape, values: output.values } },
      attrs,
    });
  });
});

describe("matrix products and sums routed to XNNPACK match cpu", () => {
  const rng = makeRng(SEED + 3);
  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])("BatchMatMul transposeA %s transposeB %s", async (ta, tb) => {
    const [b, m, k, n] = [int(rng, 1, 4), int(rng, 1, 64), int(rng, 1, 64), int(rng, 1, 64)];
    const a = ta ? [b, k, m] : [b, m, k];
    const bb = tb ? [b, n, k] : [b, k, n];
    await expectAgreement({ name: tf.BatchMatMul, inputs: { a: { shape: a, values: values(rng, a) }, b: { shape: bb, values: values(rng, bb) } }, attrs: { transposeA: ta, transposeB: tb } });
  });
  it("BatchMatMul a b^T with a large b (a dense layer's dx), computed as (b a^T)^T", async () => {
    const [m, k, n] = [int(rng, 1, 64), int(rng, 32, 256), int(rng, 256, 1600)];
    await expectAgreement({ name: tf.BatchMatMul, inputs: { a: { shape: [m, k], values: values(rng, [m, k]) }, b: { shape: [n, k], values: values(rng, [n, k]) } }, attrs: { transposeA: false, transposeB: true } });
  });
  it("_FusedMatMul with transposes, bias and relu", async () => {
    const [m, k, n] = [int(rng, 1, 64), int(rng, 1, 64), int(rng, 1, 64)];
    await expectAgreement({
      name: tf._FusedMatMul,
      inputs: { a: { shape: [1, k, m], values: values(rng, [1, k, m]) }, b: { shape: [1, n, k], values: values(rng, [1, n, k]) }, bias: { shape: [n], values: values(rng, [n]) } },
      attrs: { transposeA: true, transposeB: true, activation: "relu", leakyreluAlpha: 0 },
    });
  });
  it.each([
    [[0, 1, 2], false],
    [[0], true],
    [[0, 1], false],
    [[1, 2], false],
  ])("Sum over axes %j keepDims %s", async (axis, keepDims) => {
    const shape = [int(rng, 1, 64), int(rng, 1, 32), int(rng, 1, 32), int(rng, 1, 64)];
    await expectAgreement({ name: tf.Sum, inputs: { x: { shape, values: values(rng, shape) } }, attrs: { axis, keepDims } });
  });
});

describe("depthwise convolution gradients (wasm, missing in tfjs) match cpu", () => {
  const rng = makeRng(SEED + 5);
  it.each(combos)("stride %i, padding %s, dilation %i", async (stride, padding, dilation) => {
    const c = drawConv(rng, stride, padding, dilation, 16);
    const [kh, kw, ci] = c.filter;
    const m = int(rng, 1, 3);
    const filterShape = [kh, kw, ci, m];
    const info = tf.backend_util.computeConv2DInfo(c.x as never, filterShape as never, c.strides, c.dilations, c.pad as never, undefined, true);
    const dyShape = [c.x[0], info.outHeight, info.outWidth, ci * m];
    const x = values(rng, c.x);
    const filter = values(rng, filterShape);
    const dy = values(rng, dyShape);
    const attrs = { strides: c.strides, pad: c.pad, dimRoundingMode: undefined };
    const dilated = dilateFilter(filterShape, filter, dilation);
    await expectAgreement(
      { name: tf.DepthwiseConv2dNativeBackpropInput, inputs: { dy: { shape: dyShape, values: dy }, filter: { shape: filterShape, values: filter } }, attrs: { ...attrs, inputShape: c.x, dilations: c.dilations } },
      { name: tf.DepthwiseConv2dNativeBackpropInput, inputs: { dy: { shape: dyShape, values: dy }, filter: dilated }, attrs: { ...attrs, inputShape: c.x, dilations: [1, 1] } },
    );
    await expectAgreement(
      { name: tf.DepthwiseConv2dNativeBackpropFilter, inputs: { x: { shape: c.x, values: x }, dy: { shape: dyShape, values: dy } }, attrs: { ...attrs, filterShape, dilations: c.dilations } },
      { name: tf.DepthwiseConv2dNativeBackpropFilter, inputs: { x: { shape: c.x, values: x }, dy: { shape: dyShape, values: dy } }, attrs: { ...attrs, filterShape: dilated.shape, dilations: [1, 1] } },
      (v) => tapsOf(v, filterShape, dilation),
    );
  });
});

describe("Tile, Mean, FusedBatchNorm and Identity (scalar loops or copies in wasm) match cpu", () => {
  const rng = makeRng(SEED + 7);
  const shape4 = () => [int(rng, 1, 64), int(rng, 1, 32), int(rng, 1, 32), int(rng, 1, 64)];
  it("Tile of a per-channel vector over batch, rows and columns (the batch-norm gradient)", async () => {
    const [n, h, w, c] = shape4();
    await expectAgreement({ name: tf.Tile, inputs: { x: { shape: [1, 1, 1, c], values: values(rng, [c]) } }, attrs: { reps: [n, h, w, 1] } });
  });
  it.each([1, 2, 3, 4, 5])("Tile of a random rank-%i tensor by random repetitions", async (rank) => {
    for (let draw = 0; draw < 4; draw++) {
      const shape = Array.from({ length: rank }, () => int(rng, 1, 6));
      const reps = Array.from({ length: rank }, () => int(rng, 1, 4));
      await expectAgreement({ name: tf.Tile, inputs: { x: { shape, values: values(rng, shape) } }, attrs: { reps } });
    }
  });
  it("Tile of int32 values keeps them exact (original kernel)", async () => {
    const x = Int32Array.from({ length: 6 }, () => int(rng, -100, 100));
    await expectAgreement({ name: tf.Tile, inputs: { x: { shape: [2, 3], values: x, dtype: "int32" } }, attrs: { reps: [3, 2] } });
  });
  it.each([
    [[0, 1, 2], false],
    [[0, 1, 2], true],
    [[0], false],
    [[1, 2], false],
  ])("Mean over axes %j keepDims %s", async (axis, keepDims) => {
    const shape = shape4();
    await expectAgreement({ name: tf.Mean, inputs: { x: { shape, values: values(rng, shape) } }, attrs: { axis, keepDims } });
  });
  it.each([
    [true, true],
    [false, true],
    [true, false],
    [false, false],
  ])("FusedBatchNorm with offset %s and scale %s", async (withOffset, withScale) => {
    const shape = shape4();
    const c = shape[3];
    const variance = values(rng, [c]).map(Math.abs);
    const mean = values(rng, [c]).map((v) => v * 10); // means far from 0: x - mean must stay precise
    const x = values(rng, shape).map((v, i) => v + mean[i % c]);
    const inputs: KernelRun["inputs"] = { x: { shape, values: x }, mean: { shape: [c], values: mean }, variance: { shape: [c], values: variance } };
    if (withOffset) inputs.offset = { shape: [c], values: values(rng, [c]) };
    if (withScale) inputs.scale = { shape: [c], values: values(rng, [c]) };
    await expectAgreement({ name: tf.FusedBatchNorm, inputs, attrs: { varianceEpsilon: 1e-3 } });
  });
  it("Identity shares the buffer: the copy outlives its disposed input, and memory is freed once", async () => {
    await tf.setBackend("wasm");
    const shape = shape4();
    const data = values(rng, shape);
    const before = tf.memory().numBytes;
    const x = tf.tensor(data, shape);
    const y = tf.engine().runKernel(tf.Identity, { x }) as tf.Tensor;
    x.dispose();
    expect(relativeError(y.dataSync(), data)).toBe(0);
    y.dispose();
    expect(tf.memory().numBytes).toBe(before);
  });
});
