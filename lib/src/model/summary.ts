/**
 * summary(model): Keras's model.summary() as a value that displays itself —
 * layer, type, output shape, parameters, trainable or frozen.
 */
import type * as tf from "@tensorflow/tfjs";
import { DISPLAY, type MimeBundle } from "../display/bundle.js";
import { formatShape, product, type Shape } from "./shapes.js";
import { tableWithNotes } from "./table-notes.js";

export interface LayerRow {
  name: string;
  type: string;
  outputShape: string;
  params: number;
  trainableParams: number;
  /** "trainable", "frozen", or "—" for layers without weights. */
  status: "trainable" | "frozen" | "—";
}

export function weightCount(weights: ReadonlyArray<{ shape: Shape }>): number {
  return weights.reduce((sum, w) => sum + product(w.shape), 0);
}

export function layerRow(layer: tf.layers.Layer, outputShape?: string): LayerRow {
  const params = layer.countParams();
  const trainableParams = weightCount(layer.trainableWeights as unknown as { shape: Shape }[]);
  return {
    name: layer.name,
    type: layer.getClassName(),
    outputShape: outputShape ?? formatShape(layer.outputShape as Shape),
    params,
    trainableParams,
    status: params === 0 ? "—" : layer.trainable ? "trainable" : "frozen",
  };
}

export class ModelSummary {
  readonly name: string;
  readonly layers: LayerRow[];
  readonly totalParams: number;
  readonly trainableParams: number;
  readonly nonTrainableParams: number;

  constructor(model: tf.LayersModel) {
    this.name = model.name;
    this.layers = model.layers.filter((l) => l.getClassName() !== "InputLayer").map((l) => layerRow(l));
    this.totalParams = model.countParams();
    this.trainableParams = weightCount(model.trainableWeights as unknown as { shape: Shape }[]);
    this.nonTrainableParams = this.totalParams - this.trainableParams;
  }

  private bundle(): MimeBundle {
    return tableWithNotes(
      this.layers.map((l) => ({ Layer: l.name, Type: l.type, "Output shape": l.outputShape, Params: l.params, Status: l.status })),
      { title: `Model "${this.name}"` },
      [
        `Total params: ${this.totalParams.toLocaleString("en-US")}`,
        `Trainable params: ${this.trainableParams.toLocaleString("en-US")}`,
        `Non-trainable params: ${this.nonTrainableParams.toLocaleString("en-US")}`,
      ],
    );
  }

  toString(): string {
    return this.bundle()["text/plain"] as string;
  }

  [DISPLAY](): MimeBundle {
    return this.bundle();
  }
}

/** The model's layers, output shapes, parameter counts and which layers are frozen. */
export function summary(model: tf.LayersModel): ModelSummary {
  return new ModelSummary(model);
}
