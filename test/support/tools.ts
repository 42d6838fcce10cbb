/**
 * Finding external tools (Debian's Jupyter, Chromium, PyTorch) for tests.
 * In CI (CI=true) a missing tool is a failure, never a silent skip; elsewhere
 * the suite that needs it is skipped with the reason printed.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Debian's python, which owns the jupyter packages (the first python3 on PATH may not). */
export const DEBIAN_PYTHON = "/usr/bin/python3";

export function pythonHasModule(module: string): boolean {
  if (!existsSync(DEBIAN_PYTHON)) return false;
  try {
    execFileSync(DEBIAN_PYTHON, ["-c", `import ${module}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function commandExists(path: string): boolean {
  return existsSync(path);
}

/**
 * Whether a suite that needs `what` should run. Throws in CI when it is
 * missing so the run fails; outside CI returns false (the caller skips).
 */
export function requireTool(what: string, available: boolean): boolean {
  if (available) return true;
  if (process.env.CI === "true") throw new Error(`${what} is required in CI but is not installed (see .ci/run)`);
  console.warn(`skipping: ${what} is not installed`);
  return false;
}
