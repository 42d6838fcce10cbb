import { describe, expect, test } from "vitest";
import { execFileSync } from "node:child_process";
import { DISPLAY } from "../../../lib/src/display/bundle.js";
import { lineChart } from "../../../lib/src/plot/charts/line.js";
import { DEBIAN_PYTHON, pythonHasModule, requireTool } from "../../support/tools.js";
import { decodePNG, markItems, parseSVG } from "./support.js";

const chart = () => lineChart([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 2 }], { title: "fallback" });

function fallbackPNG(svg: string): Uint8Array {
  const match = /<img[^>]*src="data:image\/png;base64,([^"]+)"/.exec(svg);
  expect(match).not.toBeNull();
  return Buffer.from(match![1]!, "base64");
}

test("the bundle's SVG carries a hidden PNG copy; the plain SVG (save, toSVG) does not", () => {
  const c = chart();
  const svg = c[DISPLAY]()["image/svg+xml"] as string;
  expect(svg).toMatch(/<foreignObject display="none"[^>]*><img xmlns="http:\/\/www.w3.org\/1999\/xhtml"/);
  expect(markItems(svg, "line")).toBe(1);
  const size = parseSVG(svg); // still a valid SVG of the same size
  const png = decodePNG(fallbackPNG(svg));
  expect([png.width, png.height]).toEqual([Math.round(size.width * 1.5), Math.round(size.height * 1.5)]);
  expect(c.toSVG()).not.toContain("foreignObject");
  expect(c.bundle({ rasterFallback: false })["image/svg+xml"]).toBe(c.toSVG());
});

describe.runIf(requireTool("Debian python3 with lxml", pythonHasModule("lxml.html.clean")))("nbconvert 6.5's clean_html", () => {
  test("strips vega's SVG drawing but keeps the PNG copy", () => {
    const svg = chart()[DISPLAY]()["image/svg+xml"] as string;
    const cleaned = execFileSync(DEBIAN_PYTHON, ["-c", "import sys; from lxml.html.clean import clean_html; sys.stdout.write(clean_html(sys.stdin.read()))"], {
      input: svg,
      encoding: "utf8",
      maxBuffer: 64 << 20,
    });
    expect(cleaned).not.toContain("<path"); // the bug this works around
    expect(decodePNG(fallbackPNG(cleaned)).width).toBeGreaterThan(300);
  });
});
