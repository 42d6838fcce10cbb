import { describe, expect, test } from "vitest";
import { DISPLAY } from "../../../lib/src/display/bundle.js";
import { countDataPoints, type Chart } from "../../../lib/src/plot/chart.js";
import { lineChart } from "../../../lib/src/plot/charts/line.js";
import { trainingCurves } from "../../../lib/src/plot/charts/training.js";
import { compareRuns } from "../../../lib/src/plot/charts/compare.js";
import { learningRateChart } from "../../../lib/src/plot/charts/schedule.js";
import { classDistribution, confusionMatrixChart, perClassAccuracyChart } from "../../../lib/src/plot/charts/classes.js";
import { pixelHistogram } from "../../../lib/src/plot/charts/histogram.js";
import { expectChartBundle, expectValidVegaLite, fakeHistory, markItems, parseSVG } from "./support.js";

const DIGITS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/** Schema-valid spec, a bundle of exactly the three chart types, SVG that parses; returns the SVG. */
function checkChart(chart: Chart): string {
  expectValidVegaLite(chart.spec);
  const bundle = chart[DISPLAY]();
  expectChartBundle(bundle);
  expect(bundle["application/vnd.vegalite.v5+json"]).toEqual(chart.spec);
  expect(typeof bundle["text/plain"]).toBe("string");
  const svg = bundle["image/svg+xml"] as string;
  const size = parseSVG(svg);
  expect(size.width).toBeGreaterThan(100);
  expect(size.height).toBeGreaterThan(100);
  return svg;
}

test("the schema check rejects an invalid spec (so the checks below can fail)", () => {
  expect(() => expectValidVegaLite({ data: { values: [] }, mark: "banana" })).toThrow(/Vega-Lite v5 schema/);
});

describe("lineChart", () => {
  test("draws one path per series", () => {
    const data = ["a", "b", "c"].flatMap((series, s) => Array.from({ length: 50 }, (_, x) => ({ x, y: x * (s + 1), series })));
    const svg = checkChart(lineChart(data, { title: "three", x: "step", y: "value" }));
    expect(markItems(svg, "line")).toBe(3);
    expect(svg).toContain("three");
  });

  test("a single series without a series field draws one path", () => {
    const svg = checkChart(lineChart([{ x: 0, y: 1 }, { x: 1, y: 2 }, { x: 2, y: 4 }], { logY: true }));
    expect(markItems(svg, "line")).toBe(1);
  });

  test("long series are downsampled to at most 2,000 points", () => {
    const data = Array.from({ length: 10_000 }, (_, x) => ({ x, y: Math.sin(x / 100), series: x % 2 ? "odd" : "even" }));
    const chart = lineChart(data);
    expect(countDataPoints(chart.spec)).toBeLessThanOrEqual(2000);
    expect(markItems(checkChart(chart), "line")).toBe(2);
  });

  test("bad input is named", () => {
    expect(() => lineChart([{ x: 0, y: 0 }], { logY: true })).toThrow(/logY needs y > 0, but data\[0\]\.y is 0/);
    expect(() => lineChart([{ x: 0, y: NaN }])).toThrow(/lineChart data y\[0\] is NaN/);
  });
});

describe("trainingCurves", () => {
  test("loss and accuracy panels: smoothed per-batch line, train and validation per-epoch lines with points", () => {
    const chart = trainingCurves(fakeHistory(3, 100), { smoothing: 0.8 });
    const svg = checkChart(chart);
    expect(markItems(svg, "line")).toBe(6); // 2 panels × (batch, train epoch, validation epoch)
    expect(markItems(svg, "symbol")).toBe(12); // 2 panels × 2 series × 3 epochs
    expect(svg).toContain("validation (per epoch)");
    expect(chart[DISPLAY]()["text/plain"]).toMatch(/3 epochs, 300 batches; last epoch: loss/);
  });

  test("without validation there are two lines per panel", () => {
    const svg = checkChart(trainingCurves(fakeHistory(2, 20, false)));
    expect(markItems(svg, "line")).toBe(4);
  });

  test("10,000 batches stay within 2,000 points", () => {
    const chart = trainingCurves(fakeHistory(10, 1000));
    expect(countDataPoints(chart.spec)).toBeLessThanOrEqual(2000);
    checkChart(chart);
  });

  test("an empty history is a clear error", () => {
    expect(() => trainingCurves({ batches: [], epochs: [] })).toThrow(/history is empty/);
  });
});

describe("compareRuns", () => {
  test("one line per run", () => {
    const runs = [
      { name: "from scratch", history: fakeHistory(4, 10) },
      { name: "fine-tuned", history: fakeHistory(4, 10) },
    ];
    const svg = checkChart(compareRuns(runs, { metric: "valLoss" }));
    expect(markItems(svg, "line")).toBe(2);
    expect(svg).toContain("fine-tuned");
  });

  test("a run without the metric is named", () => {
    const runs = [{ name: "no-val", history: fakeHistory(2, 5, false) }];
    expect(() => compareRuns(runs, { metric: "valAccuracy" })).toThrow(/run "no-val" has no per-epoch "valAccuracy"/);
  });
});

describe("class charts", () => {
  test("a 10-class confusion matrix has 100 cells, each with its count", () => {
    const matrix = DIGITS.map((_, i) => DIGITS.map((_, j) => (i === j ? 950 + i : (i * 7 + j * 3) % 11)));
    const chart = confusionMatrixChart(matrix, DIGITS);
    const svg = checkChart(chart);
    expect(markItems(svg, "rect")).toBe(100);
    expect(markItems(svg, "text")).toBe(100);
    expect(svg).toContain(">959<");
    expect(chart[DISPLAY]()["text/plain"]).toMatch(/10×10/);
  });

  test("normalized confusion matrix validates too", () => {
    checkChart(confusionMatrixChart([[3, 1], [0, 4]], ["cat", "dog"], { normalize: true }));
  });

  test("a matrix that does not match the class names is named", () => {
    expect(() => confusionMatrixChart([[1, 2]], DIGITS)).toThrow(/matrix is 1×2 but there are 10 class names/);
  });

  test("class distribution: one bar and one label per class", () => {
    const svg = checkChart(classDistribution([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949], DIGITS));
    expect(markItems(svg, "rect")).toBe(10);
    expect(markItems(svg, "text")).toBe(10);
    expect(() => classDistribution([1, 2], DIGITS)).toThrow(/2 values but 10 class names/);
  });

  test("per-class accuracy: bars, labels and a mean rule", () => {
    const svg = checkChart(perClassAccuracyChart([0.99, 0.995, 0.98, 0.97, 0.985, 0.96, 0.99, 0.975, 0.97, 0.95], DIGITS));
    expect(markItems(svg, "rect")).toBe(10);
    expect(markItems(svg, "rule")).toBe(1);
    expect(svg).toContain("#d62728"); // the worst class
  });
});

describe("pixelHistogram and learningRateChart", () => {
  test("one panel of `bins` bars per series, each on its own range", () => {
    const raw = Uint8Array.from({ length: 5000 }, (_, i) => (i % 5 === 0 ? (i * 37) % 256 : 0));
    const normalized = Float32Array.from(raw, (v) => (v / 255 - 0.1307) / 0.3081);
    const chart = pixelHistogram([{ name: "raw", values: raw }, { name: "normalized", values: normalized }], { bins: 20 });
    const svg = checkChart(chart);
    expect(markItems(svg, "rect")).toBe(40);
    expect(countDataPoints(chart.spec)).toBe(40);
    expect(() => pixelHistogram([{ name: "empty", values: [] }])).toThrow(/series "empty" has no values/);
  });

  test("learning-rate schedule is one line", () => {
    const lrs = Array.from({ length: 500 }, (_, step) => ({ step, lr: 0.01 * 0.5 ** Math.floor(step / 100) }));
    const svg = checkChart(learningRateChart(lrs, { logY: true }));
    expect(markItems(svg, "line")).toBe(1);
  });
});

describe("epoch axes count from 1 with whole-number ticks", () => {
  /** A real History's shape: epochs counted from 0, like Keras. */
  const zeroBased = (epochs: number) => ({
    batches: [],
    epochs: Array.from({ length: epochs }, (_, epoch) => ({ epoch, loss: 1 / (epoch + 1), accuracy: 0.5 + epoch / (4 * epochs), valLoss: 1.1 / (epoch + 1), valAccuracy: 0.5 + epoch / (5 * epochs), seconds: 1 })),
  });
  /** The labels of each axis, x axes first within each panel as Vega draws them. */
  const axisLabels = (svg: string) =>
    (svg.match(/role-axis-label[\s\S]*?<\/g>/g) ?? []).map((group) => [...group.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]));

  test.each([1, 2, 3, 15])("trainingCurves and compareRuns with %i epoch(s)", (epochs) => {
    const history = zeroBased(epochs);
    const expected = epochs <= 10 ? Array.from({ length: epochs }, (_, i) => String(i + 1)) : ["2", "4", "6", "8", "10", "12", "14"];
    const curves = axisLabels(checkChart(trainingCurves(history)));
    expect(curves[0]).toEqual(expected); // loss panel's x axis
    expect(curves[2]).toEqual(expected); // accuracy panel's x axis
    const compared = axisLabels(checkChart(compareRuns([{ name: "run", history }])));
    expect(compared[0]).toEqual(expected);
  });

  test("per-batch steps get whole-number ticks too", () => {
    const history = { batches: [0, 1, 2].map((step) => ({ epoch: 0, batch: step, step, loss: 1, accuracy: 0.5, lr: 0.01 })), epochs: [] };
    const labels = axisLabels(checkChart(trainingCurves(history)))[0];
    expect(labels).toEqual(["0", "1", "2"]);
  });
});
