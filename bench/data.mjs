// npm run bench:data — from nothing to normalized MNIST train tensors.
// Build first: npx tsc -b lib. Prints times and peak memory; targets: ≤ 1 s,
// at most one float32 copy (188 MB) of the 60,000 training images alive.
// A naive pipeline (float copy of the whole set, then tf ops) is shown beside it.
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";

const require = createRequire(import.meta.url);
const MB = 1e6;
let peak = { rss: 0, arrayBuffers: 0 };
const sample = () => {
  const m = process.memoryUsage();
  peak = { rss: Math.max(peak.rss, m.rss), arrayBuffers: Math.max(peak.arrayBuffers, m.arrayBuffers) };
  return m;
};
const mb = (n) => `${(n / MB).toFixed(0)} MB`;
const ms = (t) => `${t.toFixed(0)} ms`;

const t0 = performance.now();
const lib = require("mnist-lab");
const tf = require("@tensorflow/tfjs");
await tf.setBackend("cpu");
const tRequire = performance.now();
sample();

const tLoad0 = performance.now();
const data = await lib.loadMnist({ cacheDir: "/nonexistent-bench-cache" });
const tLoad = performance.now();
sample();
const { xs, ys } = lib.toTensors(data.train, { normalization: "symmetric" });
const tTensors = performance.now();
const afterTensors = sample();
const floatCopy = 60000 * 28 * 28 * 4;
const extraBuffers = afterTensors.arrayBuffers - floatCopy;
xs.dispose();
ys.dispose();

// One epoch of batches (batch 64, shuffled): the streaming path used by training.
const tEpoch0 = performance.now();
let batchesSeen = 0;
for (const batch of lib.batches(data.train, { batchSize: 64, shuffle: true, seed: 1 })) {
  batch.xs.dispose();
  batch.ys.dispose();
  batchesSeen++;
}
const tEpoch = performance.now();
sample();

// The naive way, for comparison: Float32Array.from, then div/sub as tensor ops (3 float copies).
const tNaive0 = performance.now();
const naive = tf.tidy(() => tf.tensor4d(Float32Array.from(data.train.images), [60000, 28, 28, 1]).div(127.5).sub(1));
naive.dataSync();
const tNaive = performance.now();
const naivePeak = process.memoryUsage();
naive.dispose();

console.log(`mnist-lab data benchmark (tfjs backend ${tf.getBackend()}, source: ${data.source})`);
console.log(`  require("mnist-lab") + tfjs          ${ms(tRequire - t0)}`);
console.log(`  loadMnist (read + SHA-256 + parse)    ${ms(tLoad - tLoad0)}`);
console.log(`  toTensors(train, symmetric)           ${ms(tTensors - tLoad)}`);
console.log(`  nothing → normalized train tensors    ${ms(tTensors - tLoad0)}  (target ≤ 1000 ms; ${ms(tTensors - t0)} including require)`);
console.log(`  one epoch of batches (64, shuffled)   ${ms(tEpoch - tEpoch0)}  (${batchesSeen} batches, ${(60000 / ((tEpoch - tEpoch0) / 1000)).toFixed(0)} images/s)`);
console.log(`  naive Float32Array.from + div + sub   ${ms(tNaive - tNaive0)}  (ratio naive/ours ${((tNaive - tNaive0) / (tTensors - tLoad)).toFixed(1)}×)`);
console.log(`  peak RSS                              ${mb(peak.rss)}  (naive path: ${mb(naivePeak.rss)})`);
console.log(`  peak arrayBuffers                     ${mb(peak.arrayBuffers)}  (raw files ${mb(54950048)} + one float32 copy ${mb(floatCopy)})`);
console.log(`  arrayBuffers after toTensors          ${mb(afterTensors.arrayBuffers)} = one float32 copy ${mb(floatCopy)} + ${mb(extraBuffers)} other (uint8 data, labels)`);
console.log(`  tensors left after epoch              ${tf.memory().numTensors}`);
