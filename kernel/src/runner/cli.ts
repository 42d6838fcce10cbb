/**
 * `mnist-lab run` (and `npm start`): runs notebooks headlessly through the real
 * kernel and protocol, writing <out>/<name>.ipynb (validated against the
 * nbformat schema) and <out>/<name>.html per notebook. The input notebooks
 * are read, never written. Exit code 0 when every notebook ran, 1 when one
 * failed (its cell and error are named), 2 for bad usage.
 */
import { basename, dirname, join, relative, resolve } from "node:path";
import { writeFileAtomically, writeReport } from "../report/index.js";
import { readNotebook, serializeNotebook } from "./notebook-io.js";
import { parseRunOptions, USAGE, UsageError, type RunOptions } from "./options.js";
import { RunProgress } from "./progress.js";
import { describeFailure, runNotebook } from "./run-notebook.js";
import { nbformatErrors } from "./schema.js";
import { selectNotebooks } from "./select.js";

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") ? rel : path;
}

async function runOne(path: string, index: number, total: number, options: RunOptions, cwd: string, progress: RunProgress): Promise<string | undefined> {
  const name = basename(path, ".ipynb");
  const displayPath = shown(path, cwd);
  const outDir = resolve(cwd, options.outDir);
  progress.startNotebook(index, total, displayPath);
  const notebook = readNotebook(path);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // files a notebook saves (models, charts) go beside its report, not into notebooks/
    MNIST_LAB_OUTPUT_DIR: join(outDir, `${name}-files`),
  };
  if (options.quick) env.MNIST_LAB_QUICK = "1";
  const quick = env.MNIST_LAB_QUICK === "1";
  const result = await runNotebook(notebook, {
    displayPath,
    cwd: dirname(path),
    env,
    quick,
    cellTimeoutSeconds: options.cellTimeoutSeconds,
    progress,
  });
  const schemaErrors = nbformatErrors(result.executed);
  if (schemaErrors.length) {
    progress.finishNotebook("INVALID OUTPUT");
    return `${displayPath}: the executed copy is not valid nbformat 4.5:\n  ${schemaErrors.join("\n  ")}`;
  }
  const notebookOut = join(outDir, `${name}.ipynb`);
  const reportOut = join(outDir, `${name}.html`);
  writeFileAtomically(notebookOut, serializeNotebook(result.executed));
  writeReport(result.executed, reportOut, displayPath);
  if (result.failure) {
    progress.finishNotebook("FAILED");
    const trace = result.failure.traceback.length ? `\n${result.failure.traceback.join("\n")}` : "";
    return `${describeFailure(displayPath, result.failure)}${trace}\n  (partial copy: ${shown(notebookOut, cwd)}, report: ${shown(reportOut, cwd)})`;
  }
  progress.finishNotebook(`ok → ${shown(reportOut, cwd)}`);
  return undefined;
}

export async function main(argv: string[], cwd = process.cwd()): Promise<number> {
  let options: RunOptions;
  let notebooks: string[];
  try {
    options = parseRunOptions(argv);
    if (options.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    notebooks = selectNotebooks(options.inputs, options.only, cwd);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`mnist-lab run: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  const mode = options.quick || process.env.MNIST_LAB_QUICK === "1" ? "quick" : "full";
  process.stdout.write(`Running ${notebooks.length} notebook${notebooks.length === 1 ? "" : "s"} (${mode} mode) → ${shown(resolve(cwd, options.outDir), cwd)}/\n`);
  const progress = new RunProgress();
  const failures: string[] = [];
  for (const [i, path] of notebooks.entries()) {
    try {
      const failure = await runOne(path, i + 1, notebooks.length, options, cwd, progress);
      if (failure) {
        failures.push(failure);
        process.stderr.write(`${failure}\n`);
      }
    } catch (error) {
      progress.finishNotebook("FAILED");
      const message = `${shown(path, cwd)}: ${(error as Error).message}`;
      failures.push(message);
      process.stderr.write(`${message}\n`);
    }
  }
  if (failures.length) {
    process.stderr.write(`\n${failures.length} of ${notebooks.length} notebook${notebooks.length === 1 ? "" : "s"} failed:\n`);
    for (const failure of failures) process.stderr.write(`  ${failure.split("\n")[0]}\n`);
    return 1;
  }
  process.stdout.write(`All ${notebooks.length} notebook${notebooks.length === 1 ? "" : "s"} ran.\n`);
  return 0;
}
