/**
 * Training inside a notebook: the kernel's host object (the display seam's
 * contract) receives the progress line and live chart, and its interrupt
 * signal stops training at a batch boundary.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { KERNEL_HOST, type DisplayOptions, type KernelHost } from "../../../lib/src/display/host.js";
import type { MimeBundle } from "../../../lib/src/display/bundle.js";
import { seedConvNet } from "../../../lib/src/model/architectures.js";
import { train } from "../../../lib/src/train/train.js";
import { formatDuration } from "../../../lib/src/train/progress.js";
import { backend, tinyTrain } from "./helpers.js";

interface Shown {
  bundle: MimeBundle;
  options?: DisplayOptions;
}

function installHost(): { shown: Shown[]; interrupt: () => void } {
  const controller = new AbortController();
  const shown: Shown[] = [];
  const host: KernelHost = {
    display: (bundle, options) => void shown.push({ bundle, options }),
    clearOutput: () => undefined,
    signal: controller.signal,
  };
  (globalThis as Record<symbol, unknown>)[KERNEL_HOST] = host;
  return { shown, interrupt: () => controller.abort() };
}

beforeAll(async () => {
  await backend();
});
afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[KERNEL_HOST];
});

describe("training in a notebook", () => {
  it("shows one progress line updated in place and a live chart, and stops on a kernel interrupt", async () => {
    const data = await tinyTrain(8);
    const { shown, interrupt } = installHost();
    const model = seedConvNet({ seed: 1 });
    const history = await train(model, data, {
      epochs: 4, seed: 1,
      callbacks: { onBatchEnd: (b) => void (b.step === 6 ? interrupt() : undefined) },
    });
    expect(history.interrupted).toBe(true);
    expect(history.batches).toHaveLength(7);
    const progress = shown.filter((s) => String(s.bundle["text/plain"]).startsWith("Training ["));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    const ids = new Set(progress.map((s) => s.options?.id));
    expect(ids.size).toBe(1); // one output, updated in place
    expect(progress.slice(1).every((s) => s.options?.update === true)).toBe(true);
    const first = String(progress[0].bundle["text/plain"]);
    expect(first).toMatch(/epoch 1\/4 · batch 1\/3 · loss \d\.\d{4} · acc \d+\.\d% · \d+ img\/s · ETA/);
    expect(String(progress[progress.length - 1].bundle["text/plain"])).toMatch(/interrupted \(epoch 3, batch 2\); weights and history kept/);
    const charts = shown.filter((s) => s.bundle["application/vnd.vegalite.v5+json"] !== undefined);
    expect(charts.length).toBeGreaterThanOrEqual(1);
  });

  it("formats the ETA", () => {
    expect(formatDuration(5)).toBe("5s");
    expect(formatDuration(125)).toBe("2m05s");
    expect(formatDuration(3720)).toBe("1h02m");
  });
});

describe("training in a script", () => {
  it("prints the progress bar and one line per epoch to the given stream", async () => {
    const { Writable } = await import("node:stream");
    let out = "";
    const stream = Object.assign(
      new Writable({ write: (chunk, _enc, done) => ((out += String(chunk)), done()) }),
      { isTTY: false },
    );
    const history = await train(seedConvNet({ seed: 1 }), await tinyTrain(4), { epochs: 2, seed: 1, stream });
    expect(history.epochs).toHaveLength(2);
    expect(out).toMatch(/\[epoch 1\/2\] loss \d\.\d{4}, accuracy \d+\.\d\d% \(\d+\.\d s\)/);
    expect(out).toMatch(/\[epoch 2\/2\]/);
    expect(out).toMatch(/Training \[#+\] 100% 4\/4 batches .*done: History: 2 epoch\(s\)/);
  });
});
