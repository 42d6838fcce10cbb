/**
 * Building a model one layer at a time. Each added layer is run on a sample
 * batch right away, so the notebook shows its real output shape and parameter
 * count as you go, and a layer that does not fit fails at once, naming itself
 * and both shapes — not later, inside training.
 */
import * as tf from "@tensorflow/tfjs";
import { DISPLAY, type MimeBundle } from "../display/bundle.js";
import { assemble } from "./assemble.js";
import { declaredInputShape, LayerHookupError } from "./hookup.js";
import { seedLayer } from "./seeding.js";
import { sameFeatureShape, type Shape } from "./shapes.js";
import { layerRow, type LayerRow } from "./summary.js";
import { tableWithNotes } from "./table-notes.js";

export interface BuilderOptions {
  /** One image's shape (default [28, 28, 1]). */
  inputShape?: readonly number[];
  /** The batch traced through the layers (default: 1 image of zeros). Not disposed by the builder. */
  sample?: tf.Tensor;
  /** Seeds each layer's initializers, as the ready-made architectures do. */
  seed?: number;
  name?: string;
}

export interface TraceStep extends LayerRow {
  /** The shape of the sample batch after this layer, e.g. [32, 26, 26, 32]. */
  sampleShape: number[];
}

export class ModelBuilder {
  readonly inputShape: readonly number[];
  readonly steps: TraceStep[] = [];
  private readonly layers: tf.layers.Layer[] = [];
  private readonly seed: number | undefined;
  private readonly name: string | undefined;
  private current: tf.Tensor;
  private readonly ownsCurrent: boolean[] = [];

  constructor(options: BuilderOptions = {}) {
    this.inputShape = options.inputShape ?? options.sample?.shape.slice(1) ?? [28, 28, 1];
    this.seed = options.seed;
    this.name = options.name;
    this.current = options.sample ?? tf.zeros([1, ...this.inputShape]);
    this.ownsCurrent.push(options.sample === undefined);
  }

  /** The sample batch's shape before the next layer. */
  get outputShape(): number[] {
    return this.current.shape.slice();
  }

  /**
   * Adds a layer, runs the sample batch through it, and returns the builder
   * (which displays the trace so far, the new layer highlighted).
   */
  add(layer: tf.layers.Layer): this {
    const actual: Shape = [null, ...this.current.shape.slice(1)];
    const declared = declaredInputShape(layer);
    if (declared && !sameFeatureShape(declared, actual)) throw new LayerHookupError(layer.name, declared, actual);
    if (this.seed !== undefined) seedLayer(layer, this.seed, this.layers.length);
    let output: tf.Tensor;
    try {
      output = layer.apply(this.current) as tf.Tensor;
    } catch (error) {
      throw new LayerHookupError(layer.name, declared ?? [], actual, (error as Error).message);
    }
    if (this.ownsCurrent[this.ownsCurrent.length - 1]) this.current.dispose();
    this.current = output;
    this.ownsCurrent.push(true);
    this.layers.push(layer);
    const sampleShape = output.shape.slice();
    this.steps.push({ ...layerRow(layer, `(None, ${sampleShape.slice(1).join(", ")})`), sampleShape });
    return this;
  }

  /** The Sequential model made of the layers added so far (their weights are kept). */
  build(): tf.Sequential {
    return assemble(this.layers, { inputShape: this.inputShape, name: this.name });
  }

  /** Frees the traced sample batch (the layers and their weights stay). */
  dispose(): void {
    if (this.ownsCurrent[this.ownsCurrent.length - 1]) this.current.dispose();
  }

  get totalParams(): number {
    return this.steps.reduce((s, l) => s + l.params, 0);
  }

  [DISPLAY](): MimeBundle {
    const input = `[${[this.current.shape[0], ...this.inputShape].join(", ")}]`;
    const last = this.steps.length - 1;
    return tableWithNotes(
      this.steps.map((s, i) => ({
        "#": i + 1,
        Layer: s.name,
        Type: s.type,
        "Sample output": `[${s.sampleShape.join(", ")}]`,
        Params: s.params,
        Status: s.status,
        "": i === last ? "← added" : "",
      })),
      { title: `Trace of a sample batch ${input} through ${this.steps.length} layer(s)` },
      [`Total params so far: ${this.totalParams.toLocaleString("en-US")}`],
    );
  }
}

/** Starts a step-by-step model: `modelBuilder().add(tf.layers.conv2d(…)).add(…)`, then `.build()`. */
export function modelBuilder(options: BuilderOptions = {}): ModelBuilder {
  return new ModelBuilder(options);
}
