/**
 * predict(model, image): class probabilities for one image — a 28×28 array
 * (rows of grey levels), flat pixels, or a PNG file.
 */
import * as tf from "@tensorflow/tfjs";
import { readFileSync } from "node:fs";
import { ready } from "../backend/choose.js";
import { normalizationCoefficients } from "../data/normalize.js";
import type { Normalization } from "../data/types.js";
import { DISPLAY, type MimeBundle } from "../display/bundle.js";
import { table } from "../display/table.js";
import { modelInfo } from "../model/metadata.js";
import { outputsProbabilities, toProbabilities } from "../model/outputs.js";
import { imageGrid } from "../plot/image/grid.js";
import { pngToGrey } from "./png.js";

/**
 * Grey levels 0…255 (MNIST's convention: a light digit on a dark background),
 * or 0…1 when no value exceeds 1. A string is the path of a PNG file.
 */
export type ImageInput = string | Uint8Array | Float32Array | readonly number[] | readonly (readonly number[])[];

export interface PredictOptions {
  normalization?: Normalization;
  classNames?: readonly string[];
}

export class Prediction {
  constructor(
    /** The predicted class index. */
    readonly label: number,
    readonly classNames: readonly string[],
    readonly probabilities: number[],
    /** The image as the model saw it (grey levels 0…255). */
    readonly pixels: Uint8Array,
    readonly width: number,
    readonly height: number,
    /** How the input was turned into a 28×28 digit (e.g. "inverted", "resized from 64×64"). */
    readonly notes: readonly string[] = [],
  ) {}

  get className(): string {
    return this.classNames[this.label];
  }

  get confidence(): number {
    return this.probabilities[this.label];
  }

  describe(): string {
    return `Predicted ${this.className} (${(this.confidence * 100).toFixed(1)}%)${this.notes.length ? ` [${this.notes.join("; ")}]` : ""}`;
  }

  [DISPLAY](): MimeBundle {
    const rows = this.classNames.map((c, i) => ({ class: c, probability: `${(this.probabilities[i] * 100).toFixed(2)}%`, "": bar(this.probabilities[i]) + (i === this.label ? " ◀" : "") }));
    const t = table(rows, { title: this.describe() });
    const png = imageGrid([{ pixels: this.pixels, width: this.width, height: this.height, caption: this.className }], { scale: 4 }).toPNG();
    const img = `<img alt="input" style="vertical-align:top;margin-right:1em" src="data:image/png;base64,${Buffer.from(png).toString("base64")}">`;
    return {
      "text/plain": t.toText(),
      "text/html": `<div class="mnist-lab-prediction" style="display:flex;align-items:flex-start">${img}${t.toHTML()}</div>`,
    };
  }
}

function bar(p: number): string {
  return "█".repeat(Math.round(p * 20));
}

/** Turns any accepted input into width×height grey levels 0…255. */
export function toGreyImage(image: ImageInput, width: number, height: number): { pixels: Uint8Array; notes: string[] } {
  if (typeof image === "string") return pngToGrey(readFileSync(image), width, height, image);
  const flat: ArrayLike<number> = Array.isArray(image) && Array.isArray(image[0]) ? (image as number[][]).flat() : (image as ArrayLike<number>);
  if (Array.isArray(image) && Array.isArray(image[0])) {
    const rows = image as number[][];
    if (rows.length !== height || rows.some((r) => r.length !== width)) {
      throw new Error(`predict: the image is ${rows.length}×${rows[0].length} (rows×columns) but the model takes ${height}×${width}`);
    }
  }
  if (flat.length !== width * height) throw new Error(`predict: got ${flat.length} pixels but the model takes ${height}×${width} = ${width * height}`);
  if (image instanceof Uint8Array) return { pixels: image, notes: [] };
  let max = 0;
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (!Number.isFinite(v) || v < 0 || v > 255) throw new Error(`predict: pixel ${i} is ${v}; grey levels must be 0…255 (or 0…1)`);
    if (v > max) max = v;
  }
  const scale = max <= 1 ? 255 : 1;
  return { pixels: Uint8Array.from({ length: flat.length }, (_, i) => Math.round(flat[i] * scale)), notes: scale === 255 ? ["values 0…1 scaled to 0…255"] : [] };
}

/** Class probabilities for one image. */
export async function predict(model: tf.LayersModel, image: ImageInput, options: PredictOptions = {}): Promise<Prediction> {
  await ready();
  const [, height, width, channels] = model.inputs[0].shape as number[];
  if (channels !== 1) throw new Error(`predict: the model takes ${channels}-channel images; only grey images are supported`);
  const info = modelInfo(model);
  const { pixels, notes } = toGreyImage(image, width, height);
  const { scale, offset } = normalizationCoefficients(options.normalization ?? info.normalization ?? "symmetric");
  const probs = tf.tidy(() => {
    const xs = tf.tensor4d(Float32Array.from(pixels, (v) => v * scale + offset), [1, height, width, 1]);
    return toProbabilities(model.predict(xs) as tf.Tensor, outputsProbabilities(model));
  });
  const probabilities = Array.from(await probs.data());
  probs.dispose();
  const classNames = options.classNames ?? info.classNames ?? probabilities.map((_, i) => String(i));
  if (classNames.length !== probabilities.length) {
    throw new Error(`predict: ${classNames.length} class names for a model with ${probabilities.length} outputs`);
  }
  const label = probabilities.indexOf(Math.max(...probabilities));
  return new Prediction(label, classNames, probabilities, pixels, width, height, notes);
}
