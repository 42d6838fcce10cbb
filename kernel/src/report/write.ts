import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { renderReport } from "./render.js";
import type { Notebook } from "./notebook.js";

/** Writes `data` via a temp file and a rename, so readers never see half a file. */
export function writeFileAtomically(path: string, data: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Writes the notebook's HTML report to `path` atomically. */
export function writeReport(notebook: Notebook, path: string, sourcePath?: string): void {
  writeFileAtomically(path, renderReport(notebook, { fallbackTitle: basename(path, ".html"), sourcePath }));
}
