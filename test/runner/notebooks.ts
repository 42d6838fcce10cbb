/** Tiny notebooks for the runner tests, written as nbformat 4 JSON. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";

type CellSpec = ["md" | "code", string];

export function writeNotebook(dir: string, name: string, cells: CellSpec[], minor = 5): string {
  const path = join(dir, name);
  const notebook = {
    nbformat: 4,
    nbformat_minor: minor,
    metadata: { kernelspec: { name: "mnist-lab", display_name: "TypeScript (mnist-lab)", language: "typescript" } },
    cells: cells.map(([kind, source], i) =>
      kind === "md"
        ? { cell_type: "markdown", ...(minor >= 5 ? { id: `m${i}` } : {}), metadata: {}, source }
        : { cell_type: "code", ...(minor >= 5 ? { id: `c${i}` } : {}), metadata: {}, execution_count: null, outputs: [], source },
    ),
  };
  writeFileSync(path, JSON.stringify(notebook, null, 1));
  return path;
}

/** Four cells that all succeed: Markdown with math, a stream, a result, and an empty cell. */
export function okNotebook(dir: string): string {
  return writeNotebook(dir, "01-ok.ipynb", [
    ["md", "# A tiny notebook\n\nThe loss $L = -\\log p$."],
    ["code", 'console.log("hello from cell 2");\nconsole.log("quick=" + process.env.MNIST_LAB_QUICK);'],
    ["code", "const answer: number = 6 * 7;\nanswer"],
    ["code", ""],
    ["code", 'console.error("a warning");\n`cwd=${process.cwd()}`'],
  ], 4);
}

/** Cell 3 throws; cell 4 must never run. */
export function failingNotebook(dir: string): string {
  return writeNotebook(dir, "02-fails.ipynb", [
    ["md", "# This one fails"],
    ["code", 'console.log("before the failure");'],
    ["code", 'throw new RangeError("boom in the third cell");'],
    ["code", 'console.log("must not run");'],
  ]);
}
