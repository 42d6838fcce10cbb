/**
 * The six tutorial notebooks, in quick mode, through our runner (real kernel,
 * real library, real data): every notebook finishes, no cell has an error
 * output, and the cells that should show a chart, a table or an image do. The
 * committed notebooks are left as they were.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, REPO, runRunner, type CliResult } from "../runner/run-cli.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const NOTEBOOKS = join(REPO, "notebooks");
const CHART = "application/vnd.vegalite.v5+json";
const TABLE = "text/html";
const IMAGE = "image/png";

/** [notebook, a unique piece of a code cell's source, a MIME type that cell must show] */
const EXPECTED: Array<[string, string, string]> = [
  ["01-data-preparation", "const backend = await ready();", TABLE],
  ["01-data-preparation", "const mnist = await loadMnist();", TABLE],
  ["01-data-preparation", "showSamples(mnist.train, 40", IMAGE],
  ["01-data-preparation", "classDistribution(trainCounts", CHART],
  ["01-data-preparation", "pixelHistogram([", CHART],
  ["01-data-preparation", "showSamples(batchImages", IMAGE],
  ["02-building-the-cnn", 'builder.add(tf.layers.conv2d({ name: "conv1"', TABLE],
  ["02-building-the-cnn", "fc1_seed", TABLE],
  ["02-building-the-cnn", "summary(model)", TABLE],
  ["02-building-the-cnn", "show({", TABLE],
  ["02-building-the-cnn", "featureMapsImage(", IMAGE],
  ["04-training-from-scratch", "const history = await train(", CHART],
  ["04-training-from-scratch", "summary(model)", TABLE],
  ["05-pretraining-and-fine-tuning", "showSamples(fewLabels", IMAGE],
  ["05-pretraining-and-fine-tuning", "summary(tuned)", TABLE],
  ["05-pretraining-and-fine-tuning", "compareRuns([", CHART],
  ["05-pretraining-and-fine-tuning", "§3.3 advantages and drawbacks", TABLE],
  ["06-evaluation-and-optimization", "evaluation.perClassTable()", TABLE],
  ["06-evaluation-and-optimization", "evaluation.confusionChart()", CHART],
  ["06-evaluation-and-optimization", "evaluation.mistakesGrid(", IMAGE],
  ["06-evaluation-and-optimization", 'compareRuns(runs, { metric: "valLoss"', CHART],
  ["06-evaluation-and-optimization", "await predict(finalModel, image)", TABLE],
];

const source = (cell: Json) => (Array.isArray(cell.source) ? cell.source.join("") : String(cell.source));
const streamText = (cell: Json) => cell.outputs.filter((o: Json) => o.output_type === "stream").map((o: Json) => (Array.isArray(o.text) ? o.text.join("") : o.text)).join("");
const mimes = (cell: Json) => new Set(cell.outputs.flatMap((o: Json) => (o.data ? Object.keys(o.data) : [])));

function hashTree(dir: string): string {
  const hash = createHash("sha256");
  for (const name of readdirSync(dir).sort()) hash.update(name).update(readFileSync(join(dir, name)));
  return hash.digest("hex");
}

describe("the tutorial notebooks in quick mode", () => {
  let out: string;
  let result: CliResult;
  let before: string;
  const executed = new Map<string, Json>();

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "mnist-lab-notebooks-"));
    before = hashTree(NOTEBOOKS);
    result = await runRunner(["--quick", "--out", out], { cwd: REPO, env: cleanEnv(), timeoutMs: 900_000 });
    for (const name of readdirSync(out).filter((n) => n.endsWith(".ipynb"))) {
      executed.set(name.replace(/\.ipynb$/, ""), JSON.parse(readFileSync(join(out, name), "utf8")));
    }
  }, 900_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("all six run through the runner without a failing cell", () => {
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect([...executed.keys()].sort()).toEqual([
      "01-data-preparation", "02-building-the-cnn", "03-loss-and-gradients",
      "04-training-from-scratch", "05-pretraining-and-fine-tuning", "06-evaluation-and-optimization",
    ]);
  });

  it("have no error outputs and every code cell ran", () => {
    for (const [name, notebook] of executed) {
      for (const [index, cell] of notebook.cells.entries()) {
        if (cell.cell_type !== "code") continue;
        const where = `${name} cell ${index + 1}`;
        expect(cell.outputs.filter((o: Json) => o.output_type === "error"), where).toEqual([]);
        expect(cell.execution_count, where).toBeTypeOf("number");
      }
      expect(notebook.metadata["mnist-lab"], name).toMatchObject({ quick: true, backend: expect.stringMatching(/^(wasm|tensorflow|cpu)/) });
    }
  });

  it.each(EXPECTED)("%s: the cell with %j shows %s", (name, piece, mime) => {
    const notebook = executed.get(name);
    expect(notebook, `${name} was not executed`).toBeDefined();
    const cells = notebook!.cells.filter((c: Json) => c.cell_type === "code" && source(c).includes(piece));
    expect(cells, `cells of ${name} containing ${JSON.stringify(piece)}`).toHaveLength(1);
    expect([...mimes(cells[0])]).toContain(mime);
  });

  it("charts carry their SVG so static viewers show them", () => {
    for (const [name, notebook] of executed) {
      for (const cell of notebook.cells) {
        for (const output of cell.outputs ?? []) {
          if (output.data?.[CHART]) expect(Object.keys(output.data), name).toContain("image/svg+xml");
        }
      }
    }
  });

  it("notebook 2 shows the seed's 64*7*7 bug and the parameter count", () => {
    const cells = executed.get("02-building-the-cnn")!.cells;
    const bug = cells.find((c: Json) => source(c).includes("fc1_seed"));
    expect(streamText(bug)).toMatch(/expects input \(None, 3136\) but receives \(None, 1600\)/);
    const counts = cells.find((c: Json) => source(c).includes("const byHand"));
    expect(streamText(counts)).toContain("by hand 225034, built 225034, seedConvNet() 225034");
  });

  it("notebook 3's hand computations match the library's", () => {
    const cells = executed.get("03-loss-and-gradients")!.cells;
    const loss = streamText(cells.find((c: Json) => source(c).includes("const byHand = total")));
    const values = [...loss.matchAll(/: +(\d+\.\d+)/g)].map((m) => Number(m[1]));
    expect(values).toHaveLength(4);
    expect(Math.abs(values[0]! - values[1]!)).toBeLessThan(1e-4);
    expect(Math.abs(values[0]! - values[2]!)).toBeLessThan(1e-4);
    const step = streamText(cells.find((c: Json) => source(c).includes("tf.train.momentum(lr, momentum)")));
    const diff = Number(/by hand vs optimizer: ([\d.e+-]+)/.exec(step)?.[1]);
    expect(diff).toBeLessThan(1e-5);
  });

  it("writes an HTML report per notebook and leaves notebooks/ untouched", () => {
    for (const name of executed.keys()) expect(readFileSync(join(out, `${name}.html`), "utf8")).toContain("</html>");
    expect(hashTree(NOTEBOOKS)).toBe(before);
  });
});
