/**
 * Backend choice, once per process, so each case runs in a child node
 * process against the built library (lib/dist): forcing with
 * MNIST_LAB_BACKEND, clear errors for an unloadable or unknown backend, the
 * default order, and the displayable BackendInfo.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const ROOT = join(__dirname, "../../..");
const DIST = join(ROOT, "lib/dist/backend/index.js");

const SCRIPT = `
const lab = require(${JSON.stringify(DIST)});
const DISPLAY = Symbol.for("Jupyter.display");
(async () => {
  const before = lab.backendInfo();
  const info = await lab.ready();
  const again = await lab.ready();
  const tf = require("@tensorflow/tfjs");
  // A convolution of ones: 6x6 outputs x 4 filters x (3x3x2 taps) = 2592.
  const convSum = tf.conv2d(tf.ones([1, 8, 8, 2]), tf.ones([3, 3, 2, 4]), 1, "valid").sum().dataSync()[0];
  // 8 -> 8 channels: Winograd on wasm (our kernels on tfjs's memory, shared when threaded). Both sums are 20736.
  const winograd = (f) => tf.conv2d(tf.ones([1, 8, 8, 8]), f, 1, "valid").sum();
  const winogradSum = winograd(tf.ones([3, 3, 8, 8])).dataSync()[0];
  const winogradGradSum = tf.grad(winograd)(tf.ones([3, 3, 8, 8])).sum().dataSync()[0];
  console.log(JSON.stringify({ before: before === undefined, same: info === again && lab.backendInfo() === info,
    info, active: tf.getBackend(), bundle: info[DISPLAY](), convSum, winogradSum, winogradGradSum }));
})().catch((e) => { console.error("ERROR " + e.message); process.exit(3); });
`;

function choose(env: string | undefined, extraEnv: Record<string, string> = {}) {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: build first (npx tsc -b lib kernel)`);
  const childEnv = { ...process.env };
  delete childEnv.MNIST_LAB_BACKEND;
  delete childEnv.MNIST_LAB_WASM_THREADS;
  if (env !== undefined) childEnv.MNIST_LAB_BACKEND = env;
  Object.assign(childEnv, extraEnv);
  const r = spawnSync(process.execPath, ["-e", SCRIPT], { cwd: ROOT, env: childEnv, encoding: "utf8", timeout: 60_000 });
  const line = r.stdout.split("\n").find((l) => l.startsWith("{"));
  return { status: r.status, result: line ? JSON.parse(line) : undefined, error: /ERROR (.*)/.exec(r.stderr)?.[1] };
}

function tfjsNodeInstalled(): boolean {
  try {
    createRequire(join(ROOT, "lib/package.json")).resolve("@tensorflow/tfjs-node");
    return true;
  } catch {
    return false;
  }
}

describe("backend choice (child processes)", () => {
  it("MNIST_LAB_BACKEND=cpu forces cpu", () => {
    const { status, result } = choose("cpu");
    expect(status).toBe(0);
    expect(result.info).toEqual({ name: "cpu", reason: "cpu: forced by MNIST_LAB_BACKEND", threads: 1, kernels: [] });
    expect(result.active).toBe("cpu");
  });

  it("MNIST_LAB_BACKEND=wasm forces wasm with our kernels registered", () => {
    const { status, result } = choose("wasm");
    expect(status).toBe(0);
    expect(result.info.name).toBe("wasm");
    expect(result.active).toBe("wasm");
    expect(result.info.threads).toBeGreaterThanOrEqual(1);
    expect(result.info.kernels).toEqual(expect.arrayContaining(["Conv2D", "Conv2DBackpropFilter", "Conv2DBackpropInput", "MaxPoolGrad"]));
    expect(result.convSum).toBe(2592);
    expect(Math.abs(result.winogradSum - 20736)).toBeLessThan(0.05);
    expect(Math.abs(result.winogradGradSum - 20736)).toBeLessThan(0.05);
  });

  it("the default is tfjs-node when installed, else wasm, saying why; ready() is idempotent", () => {
    const { status, result } = choose(undefined);
    expect(status).toBe(0);
    expect(result.before).toBe(true);
    expect(result.same).toBe(true);
    if (tfjsNodeInstalled()) expect(result.info.name).toBe("tensorflow");
    else expect(result.info).toMatchObject({ name: "wasm", reason: "wasm: @tensorflow/tfjs-node is not installed" });
  });

  it("an unloadable forced backend fails clearly", () => {
    if (tfjsNodeInstalled()) return; // nothing unloadable to force on this machine
    const { status, error } = choose("tensorflow");
    expect(status).toBe(3);
    expect(error).toBe("MNIST_LAB_BACKEND=tensorflow was requested but cannot be used: @tensorflow/tfjs-node is not installed");
  });

  it("an unknown backend name is refused, naming the choices", () => {
    const { status, error } = choose("webgpu");
    expect(status).toBe(3);
    expect(error).toBe("MNIST_LAB_BACKEND=webgpu is not a backend mnist-lab knows; use one of tensorflow, wasm, cpu");
  });

  it("MNIST_LAB_WASM_THREADS=2 runs the threaded wasm build on 2 threads, computes, and lets the process exit", () => {
    const { status, result } = choose("wasm", { MNIST_LAB_WASM_THREADS: "2" });
    expect(status).toBe(0); // the child exited by itself (spawnSync would time out otherwise)
    expect(result.info.threads).toBe(2);
    expect(result.convSum).toBe(2592);
    expect(Math.abs(result.winogradSum - 20736)).toBeLessThan(0.05);
    expect(Math.abs(result.winogradGradSum - 20736)).toBeLessThan(0.05);
  });

  it("a bad MNIST_LAB_WASM_THREADS is refused clearly", () => {
    const { status, error } = choose("wasm", { MNIST_LAB_WASM_THREADS: "many" });
    expect(status).toBe(3);
    expect(error).toBe('MNIST_LAB_BACKEND=wasm was requested but cannot be used: the wasm backend failed (MNIST_LAB_WASM_THREADS=many must be an integer from 1 to 8, or "auto")');
  });

  it("BackendInfo displays itself as text and HTML", () => {
    const { result } = choose("wasm");
    expect(result.bundle["text/plain"]).toMatch(/^tfjs backend wasm \(\d+ threads?\) — wasm: forced by MNIST_LAB_BACKEND; our kernels: .*Conv2DBackpropFilter/);
    expect(result.bundle["text/html"]).toContain("<b>tfjs backend: wasm</b>");
  });
});
