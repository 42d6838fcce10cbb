/**
 * The standard tools work too: with our kernelspec installed into a temporary
 * prefix, Debian's `jupyter nbconvert --to html --execute` runs notebook 1 in
 * quick mode with our kernel and exports HTML in which every chart is visible
 * (as SVG) and the images are embedded.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandExists, pythonHasModule, requireTool } from "../support/tools.js";
import { cleanEnv, REPO, runMnistLab } from "../runner/run-cli.js";

const run = promisify(execFile);
const JUPYTER = "/usr/bin/jupyter";
const haveNbconvert = requireTool("jupyter nbconvert (Debian's jupyter-nbconvert)", commandExists(JUPYTER) && pythonHasModule("nbconvert"));

describe.runIf(haveNbconvert)("jupyter nbconvert --execute with the mnist-lab kernel", () => {
  let prefix: string;
  let work: string;
  let html = "";

  beforeAll(async () => {
    prefix = mkdtempSync(join(tmpdir(), "mnist-lab-kernelspec-"));
    work = mkdtempSync(join(tmpdir(), "mnist-lab-nbconvert-"));
    const install = await runMnistLab(["install", "--prefix", prefix]);
    expect(install.code, install.stderr).toBe(0);
    // the kernel comes from the notebook's own metadata (kernelspec "mnist-lab"); nbconvert reads the notebook and
    // writes only into --output-dir; the kernel runs in notebooks/ as in Jupyter
    const notebook = join(REPO, "notebooks", "01-data-preparation.ipynb");
    await run(
      JUPYTER,
      ["nbconvert", "--to", "html", "--execute", "--ExecutePreprocessor.timeout=600", "--output-dir", work, "--output", "report", notebook],
      {
        cwd: REPO,
        env: cleanEnv({ JUPYTER_PATH: join(prefix, "share", "jupyter"), MNIST_LAB_QUICK: "1", MNIST_LAB_OUTPUT_DIR: join(work, "files") }),
        timeout: 600_000,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    html = readFileSync(join(work, "report.html"), "utf8");
  }, 660_000);
  afterAll(() => {
    rmSync(prefix, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it("installs a kernelspec that nbconvert uses", () => {
    expect(existsSync(join(prefix, "share", "jupyter", "kernels", "mnist-lab", "kernel.json"))).toBe(true);
    expect(html).toContain("mnist-lab");
  });

  it("executes every cell without an error", () => {
    expect(html).not.toMatch(/output_error|jp-RenderedText[^>]*data-mime-type="application\/vnd\.jupyter\.stderr"[^>]*>[^<]*Error/);
    expect(html).toContain("first 16 bytes: 00 00 08 03 00 00 ea 60 00 00 00 1c 00 00 00 1c");
  });

  it("shows the charts as SVG and the digit grids as images", () => {
    // the class distribution and the pixel histograms: vega's SVG (class "marks") inline in the page
    expect((html.match(/<svg class="marks"/g) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(html).toContain("Training images per digit");
    // the two digit grids (sample and batch) as PNG images
    expect((html.match(/<img src="data:image\/png;base64,iVBOR/g) ?? []).length).toBeGreaterThanOrEqual(2);
  });
});
