/**
 * evaluate(model, set): loss, accuracy, confusion matrix, per-class
 * precision/recall/F1 and the most confidently wrong examples — a value that
 * displays as a report (tables, heatmap, image grid) and whose parts display
 * on their own.
 */
import type * as tf from "@tensorflow/tfjs";
import { ready } from "../backend/choose.js";
import type { Dataset, ImageSet, Normalization } from "../data/types.js";
import { DISPLAY, type MimeBundle } from "../display/bundle.js";
import { table, type Table } from "../display/table.js";
import { checkInputShape, checkOutputClasses } from "../model/hookup.js";
import type { Chart } from "../plot/chart.js";
import { confusionMatrixChart } from "../plot/charts/classes.js";
import { imageGrid } from "../plot/image/grid.js";
import type { ImageDisplay } from "../plot/image/image-display.js";
import { argmaxRows, confusionMatrix, macroAverage, perClassMetrics, type ClassMetrics } from "./metrics.js";
import { inferencePass } from "./pass.js";

export interface EvaluateOptions {
  batchSize?: number;
  normalization?: Normalization;
  /** How many confidently wrong examples to keep (default 20). */
  mistakes?: number;
}

export interface Mistake {
  /** Position in the evaluated set. */
  index: number;
  label: number;
  predicted: number;
  /** The probability the model gave its (wrong) prediction. */
  confidence: number;
  pixels: Uint8Array;
}

export class Evaluation {
  constructor(
    readonly setName: string,
    readonly count: number,
    readonly loss: number,
    readonly accuracy: number,
    readonly classNames: readonly string[],
    /** confusion[true][predicted] */
    readonly confusion: number[][],
    readonly perClass: ClassMetrics[],
    /** Most confident first. */
    readonly mistakes: Mistake[],
    readonly predictions: Uint8Array,
    readonly probabilities: Float32Array,
    private readonly size: { width: number; height: number },
  ) {}

  get errors(): number {
    return Math.round(this.count * (1 - this.accuracy));
  }

  describe(): string {
    return `${this.setName}: accuracy ${(this.accuracy * 100).toFixed(2)}% (${this.count - this.errors}/${this.count}), loss ${this.loss.toFixed(4)}, macro F1 ${macroAverage(this.perClass, "f1").toFixed(4)}`;
  }

  /** Per-class precision, recall, F1 and support. */
  perClassTable(): Table {
    const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
    return table(
      this.perClass.map((m) => ({ class: m.className, precision: pct(m.precision), recall: pct(m.recall), F1: m.f1.toFixed(4), support: m.support })),
      { title: `Per-class metrics on ${this.setName}` },
    );
  }

  /** The confusion matrix as a heatmap (true rows × predicted columns). */
  confusionChart(options: { normalize?: boolean } = {}): Chart {
    return confusionMatrixChart(this.confusion, this.classNames, { title: `Confusion matrix (${this.setName})`, ...options });
  }

  /** The most confidently wrong images, captioned true→predicted (confidence). */
  mistakesGrid(n = this.mistakes.length): ImageDisplay {
    const shown = this.mistakes.slice(0, n);
    if (shown.length === 0) throw new Error(`No mistakes on ${this.setName}: every image is classified correctly`);
    return imageGrid(
      shown.map((m) => ({
        pixels: m.pixels,
        width: this.size.width,
        height: this.size.height,
        caption: `${this.classNames[m.label]}→${this.classNames[m.predicted]} ${Math.round(m.confidence * 100)}%`,
        highlight: true,
      })),
      { title: `Most confidently wrong (true→predicted)`, scale: 2 },
    );
  }

  [DISPLAY](): MimeBundle {
    const perClass = this.perClassTable();
    const parts = [`<p><b>${escapeHtml(this.describe())}</b></p>`, perClass.toHTML()];
    const confusion = this.confusionChart();
    parts.push(`<div>${confusion.toSVG()}</div>`);
    if (this.mistakes.length > 0) {
      const png = Buffer.from(this.mistakesGrid().toPNG()).toString("base64");
      parts.push(`<div><img alt="most confidently wrong examples" src="data:image/png;base64,${png}"></div>`);
    }
    return {
      "text/plain": [this.describe(), perClass.toText()].join("\n"),
      "text/html": `<div class="mnist-lab-evaluation">${parts.join("\n")}</div>`,
    };
  }
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Evaluates a model on an image set (a Dataset means its test split). */
export async function evaluate(model: tf.LayersModel, data: ImageSet | Dataset, options: EvaluateOptions = {}): Promise<Evaluation> {
  await ready();
  const set = "test" in data ? data.test : data;
  const classes = set.classNames.length;
  checkInputShape(model, [set.height, set.width, 1]);
  checkOutputClasses(model, classes, set.name);
  const pass = await inferencePass(model, set, { ...options, probabilities: true });
  const probabilities = pass.probabilities!;
  const predictions = argmaxRows(probabilities, classes);
  const confusion = confusionMatrix(set.labels, predictions, classes);
  const mistakes = mostConfidentlyWrong(set, predictions, probabilities, options.mistakes ?? 20);
  return new Evaluation(
    set.name, set.count, pass.loss, pass.accuracy, set.classNames, confusion, perClassMetrics(confusion, set.classNames),
    mistakes, predictions, probabilities, { width: set.width, height: set.height },
  );
}

function mostConfidentlyWrong(set: ImageSet, predictions: Uint8Array, probabilities: Float32Array, n: number): Mistake[] {
  const classes = set.classNames.length;
  const size = set.width * set.height;
  const wrong: Mistake[] = [];
  for (let i = 0; i < set.count; i++) {
    if (predictions[i] === set.labels[i]) continue;
    wrong.push({ index: i, label: set.labels[i], predicted: predictions[i], confidence: probabilities[i * classes + predictions[i]], pixels: new Uint8Array(0) });
  }
  wrong.sort((a, b) => b.confidence - a.confidence);
  return wrong.slice(0, n).map((m) => ({ ...m, pixels: set.images.slice(m.index * size, (m.index + 1) * size) }));
}
