/**
 * Reading a notebook for a run (with a clear error naming the file) and
 * writing the executed copy atomically. Notebooks older than nbformat 4.5 get
 * cell ids so the copy validates against the 4.5 schema.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Cell, Notebook } from "../report/notebook.js";

export class NotebookFormatError extends Error {}

export function readNotebook(path: string): Notebook {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new NotebookFormatError(`${path}: not a readable notebook (${(error as Error).message})`);
  }
  const notebook = parsed as Partial<Notebook>;
  if (typeof notebook !== "object" || notebook === null || notebook.nbformat !== 4 || !Array.isArray(notebook.cells)) {
    throw new NotebookFormatError(`${path}: not an nbformat 4 notebook (needs "nbformat": 4 and a "cells" list)`);
  }
  notebook.cells.forEach((cell: Partial<Cell>, index) => {
    if (!cell || !["code", "markdown", "raw"].includes(cell.cell_type as string)) {
      throw new NotebookFormatError(`${path}: cell ${index + 1} has no valid cell_type`);
    }
  });
  return parsed as Notebook;
}

function newCellId(): string {
  return randomBytes(4).toString("hex");
}

/** A deep copy ready to receive outputs: nbformat 4.5 with an id on every cell. */
export function prepareCopy(notebook: Notebook): Notebook {
  const copy = JSON.parse(JSON.stringify(notebook)) as Notebook;
  copy.nbformat_minor = Math.max(copy.nbformat_minor ?? 0, 5);
  copy.metadata ??= {};
  const seen = new Set<string>();
  for (const cell of copy.cells) {
    cell.metadata ??= {};
    if (!cell.id || seen.has(cell.id) || !/^[a-zA-Z0-9-_]{1,64}$/.test(cell.id)) cell.id = newCellId();
    seen.add(cell.id);
    if (cell.cell_type === "code") {
      cell.outputs = [];
      cell.execution_count = null;
    }
  }
  return copy;
}

export function serializeNotebook(notebook: Notebook): string {
  return `${JSON.stringify(notebook, null, 1)}\n`;
}
