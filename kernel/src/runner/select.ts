/** Which notebook files a run covers: files and folders given, filtered by --only. */
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { UsageError } from "./options.js";

function notebooksIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".ipynb") && !name.startsWith("."))
    .sort()
    .map((name) => join(dir, name));
}

export function selectNotebooks(inputs: readonly string[], only: readonly string[], cwd: string): string[] {
  const sources = inputs.length ? inputs : ["notebooks"];
  const files: string[] = [];
  for (const input of sources) {
    const path = resolve(cwd, input);
    if (!existsSync(path)) throw new UsageError(`${input}: no such notebook or folder`);
    if (statSync(path).isDirectory()) files.push(...notebooksIn(path));
    else if (path.endsWith(".ipynb")) files.push(path);
    else throw new UsageError(`${input}: not a .ipynb notebook`);
  }
  const picked = only.length
    ? files.filter((file) => only.some((key) => basename(file) === key || basename(file).startsWith(key)))
    : files;
  if (!picked.length) {
    const what = only.length ? ` matching --only ${only.join(",")}` : "";
    throw new UsageError(`no notebooks${what} in ${sources.join(", ")}`);
  }
  return picked;
}
