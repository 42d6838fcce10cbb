import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { KERNEL_HOST, type DisplayOptions, type KernelHost } from "../../../lib/src/display/host.js";
import { formatBytes, ProgressBar } from "../../../lib/src/util/progress.js";

function capture(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const host = globalThis as Record<symbol, unknown>;
afterEach(() => delete host[KERNEL_HOST]);

describe("ProgressBar", () => {
  it("on a TTY redraws one line with \\r, at most ~4 times a second, and ends it on finish", async () => {
    const out = capture(true);
    const bar = new ProgressBar({ label: "Downloading x", total: 2_000_000, unit: "B", stream: out.stream });
    for (let i = 1; i <= 100; i++) bar.update(i * 10_000);
    expect(bar.renders).toBe(1); // throttled
    await sleep(300);
    bar.update(1_500_000, "almost");
    bar.update(2_000_000); // throttled, but finish draws it
    bar.finish();
    await sleep(10);
    const frames = out.text().split("\r").filter(Boolean);
    expect(frames).toHaveLength(3);
    expect(frames[0]).toMatch(/^Downloading x \[\.{30}\]\s+1% 10\.0 kB\/2\.0 MB/);
    expect(frames[1]).toMatch(/75% 1\.5 MB\/2\.0 MB .*almost/);
    expect(frames[2]).toMatch(/\[#{30}\] 100% 2\.0 MB\/2\.0 MB .*almost\x1b\[K\n$/);
  });

  it("in a log (not a TTY) writes whole lines, none for quick work except the final state", async () => {
    const out = capture(false);
    const bar = new ProgressBar({ label: "Epoch 1", total: 10, unit: "batches", stream: out.stream });
    for (let i = 1; i <= 10; i++) bar.update(i);
    bar.finish("loss 0.12");
    await sleep(10);
    expect(out.text()).toMatch(/^Epoch 1 \[#{30}\] 100% 10\/10 batches( \S+ batches\/s)? loss 0\.12\n$/);
  });

  it("without a total shows the count only", async () => {
    const out = capture(false);
    const bar = new ProgressBar({ label: "Reading", stream: out.stream });
    bar.update(5);
    bar.finish();
    await sleep(10);
    expect(out.text()).toBe("Reading 5\n");
  });

  it("in a kernel shows one output and updates it in place (text/plain + text/html)", () => {
    const displays: Array<{ bundle: Record<string, unknown>; options?: DisplayOptions }> = [];
    const kernel: KernelHost = {
      display: (bundle, options) => displays.push({ bundle, options }),
      clearOutput: () => {},
      signal: new AbortController().signal,
    };
    host[KERNEL_HOST] = kernel;
    const out = capture(true);
    const bar = new ProgressBar({ label: "Training", total: 4, unit: "epochs", stream: out.stream });
    bar.update(1);
    bar.update(4); // throttled
    bar.finish("done");
    expect(displays).toHaveLength(2);
    const id = displays[0].options?.id;
    expect(id).toBeTruthy();
    expect(displays[0].options?.update).toBeFalsy();
    expect(displays[1].options).toMatchObject({ id, update: true });
    expect(displays[1].bundle["text/plain"]).toMatch(/^Training \[#{30}\] 100% 4\/4 epochs/);
    expect(displays[1].bundle["text/html"]).toMatch(/<progress max="100" value="100\.0"/);
    expect(out.text()).toBe(""); // nothing in the terminal
  });

  it("formats bytes", () => {
    expect([formatBytes(999), formatBytes(47_040_016), formatBytes(1500)]).toEqual(["999 B", "47.0 MB", "1.5 kB"]);
  });
});
