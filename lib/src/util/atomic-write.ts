import { renameSync, rmSync, writeFileSync } from "node:fs";

/**
 * Writes `data` to `path` atomically: a temp file beside it, then a rename,
 * so a reader never sees a half-written file and a crash leaves the old one.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
