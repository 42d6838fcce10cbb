// Benchmark: a 10,000-batch training-curve chart to a full MIME bundle (Vega-Lite
// spec + SVG rendered in-process by vega), median of several runs. Target ≤ 200 ms.
// Also shown side by side: vega's own async View.toSVG() on the same spec, and a
// 10,000-point line chart. Run `npm run build` first (it reads lib/dist).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { trainingCurves, lineChart, countDataPoints } = require("../lib/dist/plot/index.js");
const vega = require("vega");
const vegaLite = require("vega-lite");
const DISPLAY = Symbol.for("Jupyter.display");
const RUNS = 9;
const TARGET_MS = 200;

function history(batches) {
  const perEpoch = batches / 10;
  const rows = [];
  const epochs = [];
  for (let step = 1; step <= batches; step++) {
    const epoch = Math.ceil(step / perEpoch);
    const loss = 2.3 * Math.exp((-4 * step) / batches) + 0.05 + 0.1 * Math.random();
    rows.push({ epoch, batch: (step - 1) % perEpoch, step, loss, accuracy: 1 - loss / 2.5 });
    if (step % perEpoch === 0) epochs.push({ epoch, loss, accuracy: 1 - loss / 2.5, valLoss: loss * 1.1, valAccuracy: 0.98 - loss / 3, seconds: 1 });
  }
  return { batches: rows, epochs };
}

async function median(fn) {
  for (let i = 0; i < 3; i++) await fn(); // warm-up: JIT and vega's lazy setup are not what we measure
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const h = history(10_000);
const coldStart = performance.now();
trainingCurves(h)[DISPLAY]();
const cold = performance.now() - coldStart;
let bundle;
const curves = await median(() => {
  bundle = trainingCurves(h)[DISPLAY]();
});
const spec = bundle["application/vnd.vegalite.v5+json"];
const noFallback = await median(() => trainingCurves(h).bundle({ rasterFallback: false }));
const vegaAsync = await median(async () => {
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "none" });
  await view.toSVG();
  view.finalize();
});
const points = Array.from({ length: 10_000 }, (_, x) => ({ x, y: Math.random(), series: x % 2 ? "a" : "b" }));
const line = await median(() => lineChart(points)[DISPLAY]());

const row = (name, ms, note = "") => console.log(`${name.padEnd(58)} ${ms.toFixed(1).padStart(7)} ms ${note}`);
console.log(`median of ${RUNS} runs, node ${process.version}`);
row("trainingCurves(10,000 batches) → bundle with SVG", curves, curves <= TARGET_MS ? `(target ≤ ${TARGET_MS} ms: met)` : `(target ≤ ${TARGET_MS} ms: MISSED)`);
row("  without the PNG fallback hidden in the SVG (live updates)", noFallback);
row("  first call in a fresh process (cold)", cold);
row("  same spec through vega View.toSVG() (async, peer)", vegaAsync, `(ratio ours without fallback/peer ${(noFallback / vegaAsync).toFixed(2)}; ours also builds the spec)`);
row("lineChart(10,000 points, 2 series) → bundle with SVG", line);
const plainSVG = trainingCurves(h).toSVG();
console.log(
  `bundle: ${countDataPoints(spec)} data rows (≤ 2,000), spec ${(JSON.stringify(spec).length / 1024).toFixed(0)} KiB, ` +
    `SVG ${(plainSVG.length / 1024).toFixed(0)} KiB (${(bundle["image/svg+xml"].length / 1024).toFixed(0)} KiB with the PNG fallback)`,
);
