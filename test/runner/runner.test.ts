/**
 * The headless runner end to end: real kernel processes over zeromq, real
 * files. A good notebook gives an executed copy (valid nbformat 4.5, checked
 * by our schema validation and by Debian's nbformat) and an HTML report; a
 * failing cell stops its notebook and the exit code and message name the
 * notebook, the cell and the error; the input notebooks are never touched.
 */
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEBIAN_PYTHON, pythonHasModule, requireTool } from "../support/tools.js";
import { failingNotebook, okNotebook, writeNotebook } from "./notebooks.js";
import { REPO, runMnistLab, runRunner, type CliResult } from "./run-cli.js";

// the compiled runner's schema check (the same module `mnist-lab run` uses)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { nbformatErrors } = require(join(REPO, "kernel", "dist", "runner", "schema.js")) as { nbformatErrors(nb: unknown): string[] };

function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const stat = statSync(path);
    files[name] = `${stat.mtimeMs}:${createHash("sha256").update(readFileSync(path)).digest("hex")}`;
  }
  return files;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const readJson = (path: string): Json => JSON.parse(readFileSync(path, "utf8"));
const text = (value: unknown) => (Array.isArray(value) ? value.join("") : String(value));

describe("mnist-lab run", () => {
  let root: string;
  let notebooks: string;
  let out: string;
  let before: Record<string, string>;
  let result: CliResult;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "mnist-lab-runner-"));
    notebooks = join(root, "notebooks");
    out = join(root, "reports");
    mkdirSync(notebooks);
    okNotebook(notebooks);
    failingNotebook(notebooks);
    before = snapshot(notebooks);
    result = await runRunner(["run", "--quick", "--out", out, notebooks]);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("exits non-zero and names the notebook, the cell and the error of a failing cell", () => {
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/02-fails\.ipynb: cell 3 of 4 \(In \[2\]\) failed: RangeError: boom in the third cell/);
    expect(result.stderr).toContain("1 of 2 notebooks failed");
    expect(result.stdout).toMatch(/\[1\/2\] .*01-ok\.ipynb .*ok/);
  });

  it("shows progress per notebook and cell", () => {
    expect(result.stdout).toContain("Running 2 notebooks (quick mode)");
    expect(result.stdout).toMatch(/\[1\/2\] .*01-ok\.ipynb {2}cell 2\/5/);
    expect(result.stdout).toMatch(/\[2\/2\] .*02-fails\.ipynb {2}cell 3\/4/);
  });

  it("writes the executed copy with outputs, execution counts and run metadata", () => {
    const executed = readJson(join(out, "01-ok.ipynb"));
    const [md, hello, answer, empty, last] = executed.cells;
    expect(text(md.source)).toContain("# A tiny notebook");
    expect(hello.outputs, JSON.stringify(hello.outputs)).toEqual([{ output_type: "stream", name: "stdout", text: expect.stringMatching(/^hello from cell 2\nquick=1\n$/) }]);
    expect(hello.execution_count).toBe(1);
    expect(answer.outputs).toHaveLength(1);
    expect(answer.outputs[0]).toMatchObject({ output_type: "execute_result", execution_count: 2 });
    expect(text(answer.outputs[0].data["text/plain"])).toBe("42");
    expect(empty).toMatchObject({ execution_count: null, outputs: [] });
    // the kernel runs in the notebook's folder, as in Jupyter
    expect(text(last.outputs.find((o: Json) => o.output_type === "execute_result").data["text/plain"])).toContain(`cwd=${notebooks}`);
    expect(last.outputs.find((o: Json) => o.output_type === "stream")).toMatchObject({ name: "stderr" });
    const run = executed.metadata["mnist-lab"];
    expect(Date.parse(run.date)).toBeGreaterThan(Date.now() - 10 * 60_000);
    expect(run.quick).toBe(true);
    expect(run.machine).toMatch(/\d+ cores, \d+ GiB RAM/);
    expect(executed.nbformat_minor).toBe(5);
    expect(new Set(executed.cells.map((c: Json) => c.id)).size).toBe(5);
  });

  it("keeps the failing notebook's outputs up to the error and runs nothing after it", () => {
    const executed = readJson(join(out, "02-fails.ipynb"));
    const [, first, failing, after] = executed.cells;
    expect(first.outputs, JSON.stringify(first.outputs)).toEqual([{ output_type: "stream", name: "stdout", text: "before the failure\n" }]);
    const error = failing.outputs.find((o: Json) => o.output_type === "error");
    expect(error).toMatchObject({ ename: "RangeError", evalue: "boom in the third cell" });
    expect(after).toMatchObject({ execution_count: null, outputs: [] });
  });

  it("writes copies that are valid nbformat 4.5", () => {
    for (const name of ["01-ok.ipynb", "02-fails.ipynb"]) expect(nbformatErrors(readJson(join(out, name)))).toEqual([]);
    // and the validator does reject a broken notebook
    const broken = readJson(join(out, "01-ok.ipynb"));
    broken.cells[1].outputs[0].output_type = "banner";
    expect(nbformatErrors(broken).length).toBeGreaterThan(0);
  });

  it.runIf(requireTool("Debian's python3-nbformat", pythonHasModule("nbformat")))("passes Debian nbformat's own validation", () => {
    const check = `import nbformat, sys\nfor p in sys.argv[1:]:\n    nbformat.validate(nbformat.read(p, as_version=4))\nprint("valid")`;
    const output = execFileSync(DEBIAN_PYTHON, ["-c", check, join(out, "01-ok.ipynb"), join(out, "02-fails.ipynb")], { encoding: "utf8" });
    expect(output.trim()).toBe("valid");
  });

  it("writes one HTML report per notebook, the failing one included", () => {
    const ok = readFileSync(join(out, "01-ok.html"), "utf8");
    expect(ok).toContain("hello from cell 2");
    expect(ok).toContain('class="katex"');
    expect(ok).toMatch(/<dt>Run<\/dt><dd>[^<]*\(quick mode\)<\/dd>/);
    const failed = readFileSync(join(out, "02-fails.html"), "utf8");
    expect(failed).toContain('class="error-output"');
    expect(failed).toContain("boom in the third cell");
  });

  it("never touches the input notebooks", () => {
    expect(snapshot(notebooks)).toEqual(before);
  });

  it("runs a subset with --only and exits 0 when every notebook ran", async () => {
    const only = join(root, "only");
    const subset = await runRunner(["--only", "01", "--out", only, notebooks]);
    expect(subset.code).toBe(0);
    const written = readdirSync(only);
    expect(written).toEqual(expect.arrayContaining(["01-ok.html", "01-ok.ipynb"]));
    expect(written.filter((name) => name.startsWith("02-"))).toEqual([]);
    expect(subset.stdout).toContain("All 1 notebook ran.");
    // without --quick the kernel does not get quick mode
    const executed = readJson(join(only, "01-ok.ipynb"));
    expect(text(executed.cells[1].outputs[0].text)).toContain("quick=undefined");
  });

  it("rejects bad usage and unreadable notebooks with messages that name them", async () => {
    const usage = await runRunner(["--frobnicate"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("unknown option --frobnicate");
    const none = await runRunner(["--only", "99", notebooks]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no notebooks matching --only 99");
    const bad = join(root, "bad");
    mkdirSync(bad);
    writeFileSync(join(bad, "broken.ipynb"), "{ not json");
    const broken = await runRunner(["--out", join(root, "bad-out"), bad]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken\.ipynb: not a readable notebook/);
  });

  it("interrupts a cell that outlives --cell-timeout and fails its notebook", async () => {
    const slow = join(root, "slow");
    mkdirSync(slow);
    writeNotebook(slow, "slow.ipynb", [
      ["code", 'console.log("waiting");\nawait new Promise((resolve) => setTimeout(resolve, 120_000));'],
      ["code", 'console.log("must not run");'],
    ]);
    const started = Date.now();
    const timedOut = await runRunner(["--cell-timeout", "2", "--out", join(root, "slow-out"), slow]);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(timedOut.code).toBe(1);
    expect(timedOut.stderr).toMatch(/slow\.ipynb: cell 1 of 2 \(In \[1\]\) failed: Timeout: cell interrupted after 2s/);
    const executed = readJson(join(root, "slow-out", "slow.ipynb"));
    expect(text(executed.cells[0].outputs[0].text)).toBe("waiting\n");
    expect(executed.cells[1].outputs).toEqual([]);
  });

  it("is what `mnist-lab run` dispatches to", async () => {
    const help = await runMnistLab(["run", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: mnist-lab run");
  });
});
