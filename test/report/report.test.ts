/**
 * The HTML report writer on a notebook with every kind of output: the page is
 * standalone (no external URLs), Markdown and LaTeX are rendered server-side,
 * ANSI codes become spans, and in headless Chromium the formulas and the
 * interactive chart are drawn (and the SVG fallback shows when scripts are off).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deflateSync } from "node:zlib";
import { renderReport, writeReport } from "../../kernel/src/report/index.js";
import { renderMarkdown } from "../../kernel/src/report/markdown.js";
import { requireTool } from "../support/tools.js";
import { chromiumAvailable, countColour, dumpDom, screenshot } from "../support/chromium.js";
import { sampleNotebook } from "./fixture.js";

/** A 32×32 greyscale checkerboard as a PNG (signature, IHDR, IDAT, IEND), base64. */
function checkerPng(): string {
  const size = 32;
  const rows = Buffer.alloc(size * (size + 1));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) rows[y * (size + 1) + 1 + x] = ((x >> 2) + (y >> 2)) % 2 ? 255 : 0;
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth; colour type 0 (grey), compression, filter, interlace all 0
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
  return png.toString("base64");
}

const notebook = sampleNotebook(checkerPng());
const html = renderReport(notebook, { sourcePath: "notebooks/sample.ipynb" });

describe("report HTML structure", () => {
  it("is one standalone page: no external scripts, styles, images or fonts", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+stylesheet/);
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).not.toMatch(/url\((?!data:)[^)]*\.(woff2?|ttf)\)/);
    expect(html).toContain("data:font/woff2;base64,");
  });

  it("puts the title and run metadata in a header", () => {
    const header = /<header class="report-header">([\s\S]*?)<\/header>/.exec(html)?.[1] ?? "";
    expect(header).toContain("Sample report §4.1 (数学模型构建)");
    expect(header).toContain("2026-11-28T15:00:00.000Z (quick mode)");
    expect(header).toContain("<dt>Backend</dt><dd>wasm</dd>");
    expect(header).toContain("<dt>Machine</dt><dd>test machine, 2 cores</dd>");
  });

  it("renders Markdown and LaTeX server-side, leaving prices as text", () => {
    expect(html).toContain("<h1>Cross-entropy</h1>");
    expect(html).toMatch(/<table>[\s\S]*<td>conv1<\/td>/);
    expect(html.match(/class="katex"/g)?.length).toBeGreaterThanOrEqual(2);
    expect(html).toContain('class="katex-display"');
    expect(html).toContain("costs $5 and $6 stay text");
    const beforeScripts = html.slice(0, html.indexOf("<script>"));
    expect(beforeScripts).not.toContain("$$");
    expect(beforeScripts).not.toMatch(/\$L = /);
  });

  it("leaves dollars in code spans and escaped dollars alone", () => {
    expect(renderMarkdown("code `$x$` stays")).toBe("<p>code <code>$x$</code> stays</p>\n");
    expect(renderMarkdown("escaped \\$5 and \\$6")).toBe("<p>escaped $5 and $6</p>\n");
    expect(renderMarkdown("| a | $x^2$ |\n|---|---|\n| 1 | 2 |")).toMatch(/<th><span class="katex">/);
  });

  it("highlights code and converts ANSI colours and carriage returns in streams", () => {
    expect(html).toContain('<span class="hljs-keyword">const</span>');
    expect(html).toContain('<span style="color:#c91b00">red</span> 42');
    expect(html).toContain("progress 100%");
    expect(html).not.toContain("progress 10%");
    expect(html).not.toContain("\u001b");
    expect(html).toContain("Out[1]:");
  });

  it("escapes text outputs and shows errors", () => {
    expect(html).toContain("warning &lt;/script&gt; &lt;b&gt;not bold&lt;/b&gt;");
    expect(html).toMatch(/<pre class="error-output"><span style="color:#c91b00">Error<\/span>: boom\n {4}at cell 3<\/pre>/);
  });

  it("embeds images, HTML outputs, and charts with spec and SVG fallback", () => {
    expect(html).toMatch(/<img class="image-output" alt="image" src="data:image\/png;base64,iVBOR/);
    expect(html).toContain('<table class="summary">');
    expect(html).toContain('<div class="vega-chart" id="chart-1">');
    expect(html).toMatch(/<script type="application\/json" class="chart-spec">\{"\$schema":"https:\/\/vega.github.io/);
    expect(html).toMatch(/<div class="chart-fallback"><img class="svg-output" alt="chart \(static SVG\)" src="data:image\/svg\+xml;base64,/);
    expect(html).toContain("vegaEmbed(");
  });

  it("leaves out the vega scripts when a notebook has no chart", () => {
    const plain = renderReport({ ...notebook, cells: notebook.cells.slice(0, 2) });
    expect(plain).not.toContain("vegaEmbed(");
    expect(plain.length).toBeLessThan(html.length / 2);
  });
});

const haveChromium = requireTool("Chromium (/usr/bin/chromium)", chromiumAvailable());

describe.runIf(haveChromium)("report in headless Chromium", () => {
  let dir: string;
  let reportPath: string;
  let probedPath: string;
  const VEGA_BLUE: [number, number, number] = [0x4c, 0x78, 0xa8];
  const FALLBACK_MAGENTA: [number, number, number] = [0xff, 0x00, 0xff];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "mnist-lab-report-"));
    reportPath = join(dir, "sample.html");
    writeReport(notebook, reportPath, "notebooks/sample.ipynb");
    // A copy that records, once fonts and charts settle, where the formula and chart are
    // drawn and which fonts loaded, so the screenshot can be checked in those regions.
    const probe = `<script>
      setTimeout(function () {
        document.fonts.ready.then(function () {
          var rect = function (sel) { var r = document.querySelector(sel).getBoundingClientRect(); return [r.left, r.top, r.width, r.height].map(Math.round).join(","); };
          document.body.setAttribute("data-formula", rect(".katex-display"));
          document.body.setAttribute("data-chart", rect(".vega-chart"));
          var fonts = []; document.fonts.forEach(function (f) { if (f.status === "loaded") fonts.push(f.family); });
          document.body.setAttribute("data-fonts", fonts.join("|"));
        });
      }, 500);
    </script></body>`;
    probedPath = join(dir, "probed.html");
    const page = readFileSync(reportPath, "utf8");
    const end = page.lastIndexOf("</body>");
    writeFileSync(probedPath, page.slice(0, end) + probe + page.slice(end + "</body>".length));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs vega-embed (an svg inside the chart) and loads KaTeX's inlined fonts", async () => {
    const dom = await dumpDom(probedPath, ["--window-size=1200,2000"]);
    expect(dom).toContain('class="vega-chart rendered"');
    expect(dom).toMatch(/<div class="chart-target[^"]*"[^>]*>[\s\S]*?<svg/);
    expect(dom).toContain('class="katex-html"');
    expect(dom).toMatch(/data-fonts="[^"]*KaTeX_Main/);
    expect(dom).toMatch(/data-fonts="[^"]*KaTeX_Math/);
  });

  it("draws the formula and the interactive chart where the page lays them out", async () => {
    const dom = await dumpDom(probedPath, ["--window-size=1200,2000"]);
    const formula = /data-formula="([\d,-]+)"/.exec(dom)![1]!.split(",").map(Number);
    const chart = /data-chart="([\d,-]+)"/.exec(dom)![1]!.split(",").map(Number);
    const shot = await screenshot(probedPath, { width: 1200, height: 2000 });
    const inkIn = ([left, top, width, height]: number[]) => {
      let ink = 0;
      for (let y = top!; y < top! + height!; y++)
        for (let x = left!; x < left! + width!; x++) {
          const [r, g, b] = shot.pixel(x, y);
          if (r + g + b < 3 * 160) ink++;
        }
      return ink;
    };
    expect(formula[2]).toBeGreaterThan(50);
    expect(inkIn(formula)).toBeGreaterThan(200);
    expect(inkIn(chart)).toBeGreaterThan(200);
    expect(countColour(shot, VEGA_BLUE)).toBeGreaterThan(5000);
    expect(countColour(shot, FALLBACK_MAGENTA)).toBe(0);
  });

  it("shows the chart's SVG fallback when scripts do not run", async () => {
    // a Content-Security-Policy that forbids every script, as a strict viewer would
    const blocked = join(dir, "no-scripts.html");
    const csp = `<meta http-equiv="Content-Security-Policy" content="script-src 'none'">`;
    writeFileSync(blocked, readFileSync(reportPath, "utf8").replace("<head>", `<head>${csp}`));
    const shot = await screenshot(blocked, { width: 1200, height: 2000 });
    expect(countColour(shot, FALLBACK_MAGENTA)).toBeGreaterThan(5000);
    expect(countColour(shot, VEGA_BLUE)).toBe(0);
  });
});
