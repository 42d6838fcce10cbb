import { afterEach, describe, expect, test } from "vitest";
import { readdirSync, rmSync } from "node:fs";
import type { TopLevelSpec } from "vega-lite";
import { KERNEL_HOST, type DisplayOptions, type KernelHost } from "../../../lib/src/display/host.js";
import type { MimeBundle } from "../../../lib/src/display/bundle.js";
import { countDataPoints } from "../../../lib/src/plot/chart.js";
import { lineChart, type LinePoint } from "../../../lib/src/plot/charts/line.js";
import { liveChart } from "../../../lib/src/plot/live.js";
import { runInTerminal } from "./support.js";

const VL = "application/vnd.vegalite.v5+json";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A kernel host as the kernel installs it (the seam's interface), recording what it is asked to display. */
function installHost(): { displays: { bundle: MimeBundle; options: DisplayOptions; at: number }[] } {
  const displays: { bundle: MimeBundle; options: DisplayOptions; at: number }[] = [];
  const host: KernelHost = {
    display: (bundle, options = {}) => displays.push({ bundle, options, at: performance.now() }),
    clearOutput: () => {},
    signal: new AbortController().signal,
  };
  (globalThis as Record<symbol, unknown>)[KERNEL_HOST] = host;
  return { displays };
}

afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[KERNEL_HOST];
});

function lastX(bundle: MimeBundle): number {
  const values = ((bundle[VL] as { data: { values: LinePoint[] } }).data.values);
  return Math.max(...values.map((p) => p.x));
}

describe("liveChart in the kernel", () => {
  test("updates one display in place, at most ~4 times a second, and renders the final state on finish", async () => {
    const { displays } = installHost();
    const live = liveChart<LinePoint>((data) => lineChart(data, { title: "loss" }));
    const start = performance.now();
    let step = 0;
    while (performance.now() - start < 1200) {
      for (let i = 0; i < 50; i++, step++) live.append({ x: step, y: Math.exp(-step / 3000), series: "train" });
      await sleep(5);
    }
    const chart = live.finish();
    const elapsed = performance.now() - start;

    expect(step).toBeGreaterThan(2000); // enough points that downsampling had to happen
    expect(displays.length).toBeGreaterThanOrEqual(3);
    expect(displays.length).toBeLessThanOrEqual(Math.ceil(elapsed / 250) + 2);
    for (let i = 1; i < displays.length - 1; i++) expect(displays[i]!.at - displays[i - 1]!.at).toBeGreaterThanOrEqual(240);
    const id = displays[0]!.options.id;
    expect(id).toBeTruthy();
    expect(displays[0]!.options.update).toBeFalsy();
    for (const d of displays.slice(1)) expect(d.options).toMatchObject({ id, update: true });

    const final = displays[displays.length - 1]!.bundle;
    expect(lastX(final)).toBe(step - 1); // the end state, with the last point kept
    expect(final["image/svg+xml"]).toContain("<svg");
    expect(final["image/svg+xml"]).toContain("<foreignObject"); // the final state carries the PNG fallback
    expect(displays[0]!.bundle["image/svg+xml"]).not.toContain("<foreignObject"); // updates stay light
    for (const d of displays) expect(countDataPoints(d.bundle[VL])).toBeLessThanOrEqual(2000);
    expect(live.data.length).toBe(step);
    expect(chart.spec).toEqual(final[VL]);
    expect(() => live.append({ x: 0, y: 0 })).toThrow(/finished/);
  });

  test("a throttled change is rendered by a timer when no further data arrives", async () => {
    const { displays } = installHost();
    const live = liveChart<LinePoint>((data) => lineChart(data));
    live.append({ x: 0, y: 1 });
    live.append({ x: 1, y: 2 }); // within 250 ms of the first render: deferred
    expect(displays.length).toBe(1);
    await sleep(400);
    expect(displays.length).toBe(2);
    expect(lastX(displays[1]!.bundle)).toBe(1);
    live.replace([{ x: 5, y: 5 }, { x: 6, y: 4 }]);
    live.finish();
    expect(lastX(displays[displays.length - 1]!.bundle)).toBe(6);
  });

  test("a build function may return a bare spec", () => {
    const { displays } = installHost();
    const live = liveChart<{ x: number; y: number }>((values) => ({ data: { values }, mark: "point", encoding: { x: { field: "x", type: "quantitative" } } }) as TopLevelSpec);
    live.append([{ x: 1, y: 1 }]);
    live.finish();
    expect(displays.length).toBe(2);
    expect(displays[1]!.bundle["image/svg+xml"]).toContain("<svg");
  });
});

describe("outside the kernel", () => {
  test("only the final state is shown: one line on stdout and one SVG file", () => {
    const { lines, dir } = runInTerminal("mnist-lab-live-", () => {
      const live = liveChart<LinePoint>((data) => lineChart(data, { title: "terminal" }));
      for (let i = 0; i < 100; i++) live.append({ x: i, y: i * i });
      live.finish();
    });
    try {
      expect(lines.length).toBe(1);
      expect(lines[0]).toMatch(/Line chart "terminal": 100 points.*image\/svg\+xml saved to/);
      const files = readdirSync(dir);
      expect(files.length).toBe(1);
      expect(files[0]).toMatch(/\.svg$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
