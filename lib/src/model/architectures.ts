/**
 * The architectures the notebooks compare. Every model outputs *logits* (no
 * softmax), like the seed's PyTorch network; the training loss and predict()
 * apply the softmax.
 */
import * as tf from "@tensorflow/tfjs";
import { assemble } from "./assemble.js";

export interface ArchitectureOptions {
  /** Seeds the initial weights (same seed + same backend → same weights). */
  seed?: number;
  /** Output classes (default 10). */
  classes?: number;
  /** One image's shape (default [28, 28, 1]). */
  inputShape?: readonly number[];
}

const MNIST_SHAPE = [28, 28, 1] as const;

function options(o: ArchitectureOptions, name: string) {
  return { inputShape: o.inputShape ?? MNIST_SHAPE, seed: o.seed, name };
}

/**
 * PyTorch's default initialisation of Conv2d and Linear layers (the seed's
 * network gets it implicitly): weights and biases uniform in ±1/√fanIn
 * (kaiming_uniform with a = √5 is varianceScaling with scale 1/3).
 * tf.layers' default (Glorot weights, zero biases) trains this network to a
 * visibly different curve, so the seed's recipe uses PyTorch's.
 */
function torchInit(fanIn: number) {
  const bound = 1 / Math.sqrt(fanIn);
  return {
    kernelInitializer: tf.initializers.varianceScaling({ scale: 1 / 3, mode: "fanIn", distribution: "uniform" }),
    biasInitializer: tf.initializers.randomUniform({ minval: -bound, maxval: bound }),
  };
}

/**
 * The seed tutorial's ConvNet, exactly: Conv2D 32 3×3 ReLU → MaxPool 2 →
 * Conv2D 64 3×3 ReLU → MaxPool 2 → Flatten → Dense 128 ReLU → Dense 10.
 * The flatten size is inferred: 64×5×5 = 1600 (the seed's 64*7*7 is a bug).
 * 225,034 parameters, initialised as PyTorch would.
 */
export function seedConvNet(o: ArchitectureOptions = {}): tf.Sequential {
  return assemble(
    [
      tf.layers.conv2d({ name: "conv1", filters: 32, kernelSize: 3, activation: "relu", ...torchInit(1 * 3 * 3) }),
      tf.layers.maxPooling2d({ name: "pool1", poolSize: 2 }),
      tf.layers.conv2d({ name: "conv2", filters: 64, kernelSize: 3, activation: "relu", ...torchInit(32 * 3 * 3) }),
      tf.layers.maxPooling2d({ name: "pool2", poolSize: 2 }),
      tf.layers.flatten({ name: "flatten" }),
      tf.layers.dense({ name: "fc1", units: 128, activation: "relu", ...torchInit(64 * 5 * 5) }),
      tf.layers.dense({ name: "fc2", units: o.classes ?? 10, ...torchInit(128) }),
    ],
    options(o, "seedConvNet"),
  );
}

export interface MlpOptions extends ArchitectureOptions {
  /** Hidden layer sizes (default [128]). */
  hidden?: readonly number[];
}

/** A multilayer perceptron baseline: Flatten → Dense 128 ReLU → Dense 10 (101,770 parameters). */
export function mlpBaseline(o: MlpOptions = {}): tf.Sequential {
  const hidden = (o.hidden ?? [128]).map((units, i) =>
    tf.layers.dense({ name: `fc${i + 1}`, units, activation: "relu" }),
  );
  return assemble(
    [
      tf.layers.flatten({ name: "flatten" }),
      ...hidden,
      tf.layers.dense({ name: `fc${hidden.length + 1}`, units: o.classes ?? 10 }),
    ],
    options(o, "mlpBaseline"),
  );
}

/**
 * LeNet-5 (LeCun et al. 1998) adapted to 28×28 input: Conv 6 5×5 (same) tanh →
 * AvgPool 2 → Conv 16 5×5 tanh → AvgPool 2 → Dense 120 → Dense 84 → Dense 10
 * (61,706 parameters).
 */
export function leNet5(o: ArchitectureOptions = {}): tf.Sequential {
  return assemble(
    [
      tf.layers.conv2d({ name: "c1", filters: 6, kernelSize: 5, padding: "same", activation: "tanh" }),
      tf.layers.averagePooling2d({ name: "s2", poolSize: 2 }),
      tf.layers.conv2d({ name: "c3", filters: 16, kernelSize: 5, activation: "tanh" }),
      tf.layers.averagePooling2d({ name: "s4", poolSize: 2 }),
      tf.layers.flatten({ name: "flatten" }),
      tf.layers.dense({ name: "f5", units: 120, activation: "tanh" }),
      tf.layers.dense({ name: "f6", units: 84, activation: "tanh" }),
      tf.layers.dense({ name: "output", units: o.classes ?? 10 }),
    ],
    options(o, "leNet5"),
  );
}

export interface ImprovedOptions extends ArchitectureOptions {
  /** Dropout rate after each block (default 0.25) and before the head (default 0.5). */
  dropout?: number;
  headDropout?: number;
  /** L2 weight penalty on conv and dense kernels (default 0: none). */
  l2?: number;
}

/**
 * The seed's step 5 ("optimize with Dropout / L2") made concrete: two
 * conv–conv–pool blocks (32 then 64 filters, 3×3, no padding) each conv
 * followed by batch normalization and ReLU, dropout after each block, a
 * 128-unit head with batch norm and dropout (about 4× the seed's compute).
 */
export function improvedConvNet(o: ImprovedOptions = {}): tf.Sequential {
  const rate = o.dropout ?? 0.25;
  const kernelRegularizer = o.l2 ? tf.regularizers.l2({ l2: o.l2 }) : undefined;
  const conv = (name: string, filters: number) => [
    tf.layers.conv2d({ name, filters, kernelSize: 3, useBias: false, kernelRegularizer }),
    tf.layers.batchNormalization({ name: `${name}_bn` }),
    tf.layers.activation({ name: `${name}_relu`, activation: "relu" }),
  ];
  return assemble(
    [
      ...conv("conv1", 32),
      ...conv("conv2", 32),
      tf.layers.maxPooling2d({ name: "pool1", poolSize: 2 }),
      tf.layers.dropout({ name: "drop1", rate }),
      ...conv("conv3", 64),
      ...conv("conv4", 64),
      tf.layers.maxPooling2d({ name: "pool2", poolSize: 2 }),
      tf.layers.dropout({ name: "drop2", rate }),
      tf.layers.flatten({ name: "flatten" }),
      tf.layers.dense({ name: "fc1", units: 128, useBias: false, kernelRegularizer }),
      tf.layers.batchNormalization({ name: "fc1_bn" }),
      tf.layers.activation({ name: "fc1_relu", activation: "relu" }),
      tf.layers.dropout({ name: "drop3", rate: o.headDropout ?? 0.5 }),
      tf.layers.dense({ name: "fc2", units: o.classes ?? 10 }),
    ],
    options(o, "improvedConvNet"),
  );
}
