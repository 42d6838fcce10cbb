import type { TopLevelSpec } from "vega-lite";
import { Chart } from "../chart.js";
import type { ChartOptions } from "../types.js";
import { BASE_CONFIG, PANEL_HEIGHT, checkFinite, checkLabels } from "./common.js";

const CELL = 30;

export interface ConfusionMatrixOptions extends ChartOptions {
  /** colour and label cells by share of the true class (row) instead of counts */
  normalize?: boolean;
}

/** Heatmap of true (rows) × predicted (columns) with the count in each cell. */
export function confusionMatrixChart(matrix: readonly (readonly number[])[], classNames: readonly string[], options: ConfusionMatrixOptions = {}): Chart {
  const n = classNames.length;
  if (matrix.length !== n || matrix.some((row) => row.length !== n)) {
    const shape = `${matrix.length}×${matrix.map((r) => r.length).join("/")}`;
    throw new Error(`confusionMatrixChart: matrix is ${shape} but there are ${n} class names; it must be ${n}×${n}`);
  }
  matrix.forEach((row, i) => checkFinite(`confusionMatrixChart matrix[${i}]`, row));
  const values: { true: string; predicted: string; count: number; share: number }[] = [];
  let correct = 0;
  let total = 0;
  matrix.forEach((row, i) => {
    const rowTotal = row.reduce((a, b) => a + b, 0);
    row.forEach((count, j) => {
      values.push({ true: classNames[i]!, predicted: classNames[j]!, count, share: rowTotal > 0 ? count / rowTotal : 0 });
      total += count;
      if (i === j) correct += count;
    });
  });
  const field = options.normalize ? "share" : "count";
  const max = values.reduce((m, v) => Math.max(m, v[field]), 0);
  const axis = (title: string) => ({ field: title, type: "ordinal", sort: [...classNames], title });
  const spec = {
    title: options.title ?? "Confusion matrix",
    width: options.width ?? CELL * n,
    height: options.height ?? CELL * n,
    data: { values },
    encoding: { x: { ...axis("predicted"), axis: { labelAngle: 0, orient: "top" } }, y: axis("true") },
    layer: [
      {
        mark: { type: "rect", stroke: "white", strokeWidth: 0.5 },
        encoding: {
          color: { field, type: "quantitative", scale: { scheme: "blues" }, title: options.normalize ? "share of true class" : "count", legend: null },
          tooltip: [{ field: "true" }, { field: "predicted" }, { field: "count" }, { field: "share", format: ".1%" }],
        },
      },
      {
        mark: { type: "text", fontSize: n > 12 ? 8 : 10 },
        encoding: {
          text: options.normalize ? { field: "share", type: "quantitative", format: ".0%" } : { field: "count", type: "quantitative" },
          color: { condition: { test: `datum['${field}'] > ${max / 2}`, value: "white" }, value: "black" },
        },
      },
    ],
    config: BASE_CONFIG,
  } as TopLevelSpec;
  const accuracy = total > 0 ? ((correct / total) * 100).toFixed(2) : "n/a";
  return new Chart(spec, `Confusion matrix ${n}×${n}: ${total} samples, ${correct} on the diagonal (accuracy ${accuracy}%)`);
}

/** How many samples each class has: bars with counts on top. */
export function classDistribution(counts: readonly number[], classNames: readonly string[], options: ChartOptions = {}): Chart {
  checkLabels("classDistribution", counts.length, classNames);
  checkFinite("classDistribution counts", counts);
  const values = counts.map((count, i) => ({ class: classNames[i]!, count }));
  const spec = {
    title: options.title ?? "Class distribution",
    width: options.width ?? Math.max(240, 32 * counts.length),
    height: options.height ?? PANEL_HEIGHT,
    data: { values },
    encoding: {
      x: { field: "class", type: "ordinal", sort: [...classNames], axis: { labelAngle: 0 } },
      y: { field: "count", type: "quantitative" },
    },
    layer: [
      { mark: { type: "bar", color: "#4c78a8", tooltip: true } },
      { mark: { type: "text", dy: -5, fontSize: 9 }, encoding: { text: { field: "count", type: "quantitative" } } },
    ],
    config: BASE_CONFIG,
  } as TopLevelSpec;
  const total = counts.reduce((a, b) => a + b, 0);
  const min = Math.min(...counts);
  const max = Math.max(...counts);
  return new Chart(spec, `Class distribution: ${total} samples in ${counts.length} classes, ${min}…${max} per class`);
}

/** Accuracy of each class as bars (worst in red), with the mean as a dashed rule. */
export function perClassAccuracyChart(values: readonly number[], classNames: readonly string[], options: ChartOptions = {}): Chart {
  checkLabels("perClassAccuracyChart", values.length, classNames);
  checkFinite("perClassAccuracyChart values", values);
  const isFraction = values.every((v) => v >= 0 && v <= 1);
  const rows = values.map((accuracy, i) => ({ class: classNames[i]!, accuracy }));
  const worst = values.reduce((m, v) => Math.min(m, v), Infinity);
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
  const format = isFraction ? ".1%" : ".3~f";
  // zoom in on the top of the range: at 95–99 % the differences between classes are the story
  const lower = Math.max(0, Math.floor((worst - (1 - worst)) * 20) / 20);
  const spec = {
    title: options.title ?? "Accuracy per class",
    width: options.width ?? Math.max(240, 32 * values.length),
    height: options.height ?? PANEL_HEIGHT,
    layer: [
      {
        data: { values: rows },
        encoding: {
          x: { field: "class", type: "ordinal", sort: [...classNames], axis: { labelAngle: 0 } },
          y: { field: "accuracy", type: "quantitative", title: "accuracy", scale: isFraction ? { domain: [lower, 1] } : { zero: false }, axis: isFraction ? { format: ".0%" } : {} },
        },
        layer: [
          {
            mark: { type: "bar", tooltip: true, clip: true },
            encoding: { color: { condition: { test: `datum.accuracy <= ${worst}`, value: "#d62728" }, value: "#4c78a8" } },
          },
          { mark: { type: "text", dy: -5, fontSize: 9 }, encoding: { text: { field: "accuracy", type: "quantitative", format } } },
        ],
      },
      {
        data: { values: [{ mean }] },
        mark: { type: "rule", strokeDash: [4, 3], color: "#555" },
        encoding: { y: { field: "mean", type: "quantitative" } },
      },
    ],
    config: BASE_CONFIG,
  } as TopLevelSpec;
  const worstClass = classNames[values.indexOf(worst)];
  const show = (v: number) => (isFraction ? `${(v * 100).toFixed(2)}%` : v.toFixed(4));
  return new Chart(spec, `Accuracy per class: mean ${show(mean)}, worst ${worstClass} ${show(worst)}`);
}
