/**
 * End to end: a notebook whose cells show charts runs through the installed
 * mnist-lab kernelspec under Debian's `jupyter nbconvert --execute --to html`;
 * the HTML holds each chart's SVG output, and headless Chromium shows the chart.
 * (nbconvert 6.5 strips SVG drawing elements; the PNG copy hidden in our SVG is
 * what survives — see lib/src/plot/fallback.ts.)
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { DEBIAN_PYTHON, pythonHasModule, requireTool } from "../../support/tools.js";
import { chromiumAvailable, screenshot } from "../../support/chromium.js";

const ROOT = resolve(__dirname, "../../..");
const KERNEL_BIN = join(ROOT, "kernel/bin/mnist-lab.js");
const BAR_BLUE: [number, number, number] = [0x4c, 0x78, 0xa8];

const tools =
  requireTool("Debian jupyter nbconvert + nbclient", pythonHasModule("nbconvert") && pythonHasModule("nbclient")) &&
  requireTool("chromium", chromiumAvailable());

function notebook(kernelName: string, displayName: string, cells: string[]) {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: kernelName, display_name: displayName, language: "typescript" } },
    cells: cells.map((source, i) => ({ id: `cell-${i}`, cell_type: "code", metadata: {}, execution_count: null, outputs: [], source })),
  };
}

describe.runIf(tools)("a chart in a notebook exported by nbconvert", () => {
  let work: string;
  let jupyterPath: string;
  let kernelName: string;
  let displayName: string;

  beforeAll(() => {
    // under the repo's node_modules so that `import … from "mnist-lab"` resolves from the notebook's folder
    mkdirSync(join(ROOT, "node_modules/.cache"), { recursive: true });
    work = mkdtempSync(join(ROOT, "node_modules/.cache/mnist-lab-nbconvert-"));
    const prefix = join(work, "prefix");
    if (!existsSync(join(ROOT, "kernel/dist/cli.js"))) throw new Error("the kernel is not built: run `npx tsc -b lib kernel` first");
    execFileSync(process.execPath, [KERNEL_BIN, "install", "--prefix", prefix], { stdio: "pipe", timeout: 60_000 });
    jupyterPath = join(prefix, "share/jupyter");
    const kernelsDir = join(jupyterPath, "kernels");
    if (!existsSync(kernelsDir)) throw new Error(`\`mnist-lab install --prefix ${prefix}\` created no kernelspec in ${kernelsDir}`);
    const kernels = readdirSync(kernelsDir);
    expect(kernels.length).toBe(1);
    kernelName = kernels[0]!;
    displayName = JSON.parse(readFileSync(join(jupyterPath, "kernels", kernelName, "kernel.json"), "utf8")).display_name;
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test("the HTML holds the charts' SVG outputs and Chromium shows the bars", async () => {
    const nbPath = join(work, "charts.ipynb");
    const nb = notebook(kernelName, displayName, [
      [
        'import { classDistribution } from "mnist-lab";',
        "const counts = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];",
        'classDistribution(counts, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], { title: "Training labels" })',
      ].join("\n"),
      [
        'import { show, lineChart } from "mnist-lab";',
        'show(lineChart([{ x: 0, y: 2.3 }, { x: 1, y: 0.9 }, { x: 2, y: 0.4 }], { title: "Loss", x: "epoch", y: "loss" }));',
      ].join("\n"),
    ]);
    writeFileSync(nbPath, JSON.stringify(nb, null, 1));
    await promisify(execFile)(
      DEBIAN_PYTHON,
      ["-m", "nbconvert", "--execute", "--to", "html", "--ExecutePreprocessor.timeout=120", "--output-dir", work, nbPath],
      {
        cwd: work,
        timeout: 180_000,
        env: { ...process.env, JUPYTER_PATH: jupyterPath, NODE_PATH: join(ROOT, "node_modules") },
      },
    );
    const html = readFileSync(join(work, "charts.html"), "utf8");
    const svgOutputs = html.match(/data-mime-type="image\/svg\+xml"[\s\S]*?<svg class="marks"/g) ?? [];
    expect(svgOutputs.length).toBe(2);
    expect(html).not.toContain('data-mime-type="application/vnd.jupyter.stderr"');
    expect((html.match(/<img[^>]*src="data:image\/png;base64,/g) ?? []).length).toBeGreaterThanOrEqual(2);

    const shot = await screenshot(join(work, "charts.html"), { width: 1200, height: 1800 });
    const page = { x: 0, y: 0, width: shot.width, height: shot.height };
    expect(shot.colourIn(page, BAR_BLUE)).toBeGreaterThan(5000); // ten bars, and the loss line
  });
});
