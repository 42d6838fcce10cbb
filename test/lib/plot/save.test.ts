import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireTool } from "../../support/tools.js";
import { classDistribution } from "../../../lib/src/plot/charts/classes.js";
import { trainingCurves } from "../../../lib/src/plot/charts/training.js";
import { chromiumAvailable, screenshot } from "../../support/chromium.js";
import { decodePNG, fakeHistory, markItems, parseSVG } from "./support.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mnist-lab-save-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const chart = () => trainingCurves(fakeHistory(3, 50), { title: "Saved curves" });

describe("Chart.save", () => {
  test(".svg is vega's SVG", async () => {
    const c = chart();
    await c.save(join(dir, "curves.svg"));
    const svg = readFileSync(join(dir, "curves.svg"), "utf8");
    expect(svg).toBe(c.toSVG());
    expect(markItems(svg, "line")).toBe(6);
  });

  test(".png is the SVG rasterized at twice its size", async () => {
    const c = chart();
    await c.save(join(dir, "nested", "curves.png"));
    const png = decodePNG(readFileSync(join(dir, "nested", "curves.png")));
    const size = parseSVG(c.toSVG());
    expect([png.width, png.height]).toEqual([size.width * 2, size.height * 2]);
    expect(png.has([8, 81, 156])).toBe(true); // the per-epoch train line, #08519c
  });

  test(".vl.json is the spec", async () => {
    const c = chart();
    await c.save(join(dir, "curves.vl.json"));
    expect(JSON.parse(readFileSync(join(dir, "curves.vl.json"), "utf8"))).toEqual(c.spec);
  });

  test("an unknown extension is refused and writes nothing", async () => {
    await expect(chart().save(join(dir, "curves.jpeg"))).rejects.toThrow(/unknown format; use one of \.svg, \.png, \.vl\.json, \.html/);
    expect(existsSync(join(dir, "curves.jpeg"))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

describe.runIf(requireTool("chromium", chromiumAvailable()))("standalone .html", () => {
  test("inlines vega, vega-lite and vega-embed and renders offline in Chromium", async () => {
    const path = join(dir, "classes.html");
    await classDistribution([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949], "0123456789".split(""), { title: "Classes" }).save(path);
    const html = readFileSync(path, "utf8");
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).toContain("vegaEmbed(");
    expect(html.length).toBeGreaterThan(500_000); // the three libraries are in the page
    const shot = await screenshot(path, { width: 800, height: 600 });
    const box = { x: 0, y: 0, width: 500, height: 400 };
    expect(shot.inkIn(box)).toBeGreaterThan(2000);
    expect(shot.colourIn(box, [0x4c, 0x78, 0xa8])).toBeGreaterThan(3000); // the bars, drawn by vega-embed
  });
});
