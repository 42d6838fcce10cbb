import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { improvedConvNet, leNet5, mlpBaseline, seedConvNet } from "../../../lib/src/model/architectures.js";
import { modelBuilder } from "../../../lib/src/model/builder.js";
import { summary } from "../../../lib/src/model/summary.js";
import { freezeUpTo } from "../../../lib/src/model/transfer.js";
import { DISPLAY } from "../../../lib/src/display/bundle.js";
import { backend, sameArrays, weightValues } from "../train/helpers.js";

beforeAll(async () => {
  await backend();
});

describe("architectures", () => {
  it("seedConvNet has the seed's 225,034 parameters and infers the 5×5×64 = 1600 flatten", () => {
    const model = seedConvNet();
    expect(model.countParams()).toBe(225_034);
    expect(model.getLayer("flatten").outputShape).toEqual([null, 1600]);
    expect(model.getLayer("fc1").countParams()).toBe(1600 * 128 + 128);
    expect(model.outputs[0].shape).toEqual([null, 10]);
    expect(model.layers.filter((l) => l.getClassName() !== "InputLayer").map((l) => l.name)).toEqual(["conv1", "pool1", "conv2", "pool2", "flatten", "fc1", "fc2"]);
  });

  it("the comparison architectures have their documented sizes", () => {
    expect(mlpBaseline().countParams()).toBe(784 * 128 + 128 + 128 * 10 + 10); // 101,770
    expect(leNet5().countParams()).toBe(61_706);
    const improved = improvedConvNet();
    expect(improved.outputs[0].shape).toEqual([null, 10]);
    expect(improved.layers.some((l) => l.getClassName() === "BatchNormalization")).toBe(true);
    expect(improved.layers.filter((l) => l.getClassName() === "Dropout")).toHaveLength(3);
    expect(seedConvNet({ classes: 5 }).outputs[0].shape).toEqual([null, 5]);
  });

  it("the same seed gives the same initial weights, another seed others", () => {
    const a = weightValues(seedConvNet({ seed: 3 }));
    const b = weightValues(seedConvNet({ seed: 3 }));
    const c = weightValues(seedConvNet({ seed: 4 }));
    expect(sameArrays(a, b)).toBe(true);
    expect(sameArrays(a, c)).toBe(false);
  });
});

describe("summary", () => {
  it("lists layer, output shape, params and trainable/frozen as text and HTML", () => {
    const model = seedConvNet();
    freezeUpTo(model, "conv2");
    const s = summary(model);
    const bundle = s[DISPLAY]();
    const text = bundle["text/plain"] as string;
    expect(text).toContain("Total params: 225,034");
    expect(text).toMatch(/fc1\s+Dense\s+\(None, 128\)\s+204,928\s+trainable/);
    expect(text).toMatch(/conv1\s+Conv2D\s+\(None, 26, 26, 32\)\s+320\s+frozen/);
    expect(text).toMatch(/pool1\s+MaxPooling2D\s+\(None, 13, 13, 32\)\s+0\s+—/);
    expect(s.trainableParams).toBe(225_034 - 320 - 18_496);
    expect(bundle["text/html"]).toContain("<table");
    expect(bundle["text/html"]).toContain("frozen");
  });
});

describe("modelBuilder", () => {
  it("traces a sample batch through each layer as it is added", () => {
    const sample = tf.zeros([32, 28, 28, 1]);
    const b = modelBuilder({ sample, seed: 1 });
    b.add(tf.layers.conv2d({ name: "conv1", filters: 32, kernelSize: 3, activation: "relu" }));
    expect(b.steps[0].sampleShape).toEqual([32, 26, 26, 32]);
    expect(b.steps[0].params).toBe(320);
    b.add(tf.layers.maxPooling2d({ name: "pool1", poolSize: 2 }))
      .add(tf.layers.conv2d({ name: "conv2", filters: 64, kernelSize: 3, activation: "relu" }))
      .add(tf.layers.maxPooling2d({ name: "pool2", poolSize: 2 }))
      .add(tf.layers.flatten({ name: "flatten" }));
    expect(b.outputShape).toEqual([32, 1600]);
    b.add(tf.layers.dense({ name: "fc1", units: 128, activation: "relu" })).add(tf.layers.dense({ name: "fc2", units: 10 }));
    const text = b[DISPLAY]()["text/plain"] as string;
    expect(text).toContain("[32, 5, 5, 64]");
    expect(text).toMatch(/fc2.*← added/);
    expect(text).toContain("225,034");
    const model = b.build();
    expect(model.countParams()).toBe(225_034);
    // the built model keeps the traced layers' weights
    expect((model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor).shape).toEqual([2, 10]);
    b.dispose();
    sample.dispose();
  });
});
