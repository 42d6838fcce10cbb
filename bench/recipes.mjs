// npm run bench:recipes — the tutorial's training recipes on MNIST, measured.
//   1. the seed's recipe (seedConvNet, SGD 0.01 momentum 0.9, batch 32) for --epochs
//      (default 10): target ≥ 99.2 % test accuracy (PyTorch reached 99.21 % here);
//   2. the improved recipe (improvedConvNet: batch norm, dropout, Adam + cosine,
//      augmentation) for --improved-epochs (default 15): target ≥ 99.5 %;
//   3. the fine-tuning experiment: pretrain on digits 0–4, fine-tune on 5–9 with
//      --labels (default 50) labels per class vs the same network from scratch.
// Options: --limit N (use only the first N training images), --test-limit N,
// --only seed|improved|transfer, --seed S, --finetune-epochs N, --pretrain-epochs N,
// --out DIR (also save the training curves and the comparison as SVG there).
// Build first (npx tsc -b lib). Prints the figures; progress goes to stderr.
import { createRequire } from "node:module";
import { join } from "node:path";
import { parseArgs } from "node:util";

const require = createRequire(import.meta.url);
const lib = require("mnist-lab");

const { values: args } = parseArgs({
  options: {
    epochs: { type: "string", default: "10" },
    "improved-epochs": { type: "string", default: "15" },
    "finetune-epochs": { type: "string", default: "20" },
    "pretrain-epochs": { type: "string", default: "2" },
    labels: { type: "string", default: "50" },
    limit: { type: "string" },
    "test-limit": { type: "string" },
    only: { type: "string" },
    seed: { type: "string", default: "1" },
    out: { type: "string" },
  },
});
const int = (name) => (args[name] === undefined ? undefined : Number.parseInt(args[name], 10));
const seed = int("seed");
const limit = int("limit");
const testLimit = int("test-limit");
const runs = args.only ? args.only.split(",") : ["seed", "improved", "transfer"];

function first(set, n) {
  if (!n || n >= set.count) return set;
  return lib.subset(set, Array.from({ length: n }, (_, i) => i), `${set.name}[:${n}]`);
}
const pct = (v) => `${(v * 100).toFixed(2)}%`;

const info = await lib.ready();
console.log(lib.backendInfoText ? lib.backendInfoText(info) : `backend: ${info.name}`);
const mnist = await lib.loadMnist();
const train = first(mnist.train, limit);
const test = first(mnist.test, testLimit);
console.log(`data: ${train.count} training images, ${test.count} test images${limit ? " (--limit: figures are not comparable with the targets)" : ""}\n`);

const results = [];
async function save(chart, file) {
  if (!args.out) return;
  await chart.save(join(args.out, file));
  console.log(`saved ${join(args.out, file)}`);
}
async function recipeRun(name, model, recipe, epochs, target, peer) {
  console.log(`== ${name}: ${recipe.name} recipe, ${epochs} epoch(s) ==`);
  console.log(lib.summary(model).toString().split("\n").slice(-3).join("; "));
  const history = await lib.train(model, train, { recipe, epochs, seed });
  const evaluation = await lib.evaluate(model, test);
  const seconds = history.seconds;
  const imagesPerSecond = (train.count * history.epochs.length) / seconds;
  const row = {
    run: name,
    epochs: history.epochs.length,
    "test accuracy": pct(evaluation.accuracy),
    target: pct(target),
    "target met": evaluation.accuracy >= target ? "yes" : "no",
    peer: peer ?? "",
    "s/epoch": (seconds / history.epochs.length).toFixed(1),
    "images/s": imagesPerSecond.toFixed(0),
  };
  results.push(row);
  console.log(`${evaluation.describe()}\n`);
  await save(lib.trainingCurves(history, { title: `${name}, ${recipe.name} recipe` }), `${name}-curves.svg`);
}

if (runs.includes("seed")) {
  await recipeRun("seedConvNet", lib.seedConvNet({ seed }), lib.seedRecipe, int("epochs"), 0.992, "PyTorch 99.21%");
}
if (runs.includes("improved")) {
  await recipeRun("improvedConvNet", lib.improvedConvNet({ seed }), lib.improvedRecipe, int("improved-epochs"), 0.995);
}
if (results.length) {
  console.log(lib.table(results, { title: "Recipes on MNIST" }).toText() + "\n");
}
if (runs.includes("transfer")) {
  console.log(`== fine-tuning experiment: 0–4 → 5–9, ${int("labels")} labels per class ==`);
  const result = await lib.transferExperiment(mnist, {
      pretrainLimit: limit,
      testLimit,
      labelsPerClass: int("labels"),
      pretrainEpochs: int("pretrain-epochs"),
      fineTuneEpochs: int("finetune-epochs"),
      seed,
  });
  console.log(result.comparisonTable().toText());
  await save(result.curves(), "transfer-curves.svg");
  const f = result.fineTuned.history.epochs;
  const s = result.scratch.history.epochs;
  const firstAbove = (epochs, level) => {
    const e = epochs.find((r) => (r.valAccuracy ?? 0) >= level);
    return e ? `epoch ${e.epoch + 1}` : "never";
  };
  const level = 0.9;
  console.log(`validation accuracy ≥ ${pct(level)}: fine-tuned ${firstAbove(f, level)}, from scratch ${firstAbove(s, level)}`);
  console.log(`final validation accuracy: fine-tuned ${pct(f.at(-1).valAccuracy)}, from scratch ${pct(s.at(-1).valAccuracy)}`);
}
