/** Installs the kernelspec into a throw-away Jupyter data dir for tests that drive real Jupyter clients. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const CLI = resolve(__dirname, "../../kernel/dist/cli.js");

export function tempJupyter(): { env: NodeJS.ProcessEnv; dataDir: string; dispose(): void } {
  const root = mkdtempSync(join(tmpdir(), "mnist-lab-jupyter-"));
  const dataDir = join(root, "data");
  const env = {
    ...process.env,
    JUPYTER_DATA_DIR: dataDir,
    JUPYTER_PATH: dataDir,
    JUPYTER_CONFIG_DIR: join(root, "config"),
    JUPYTER_RUNTIME_DIR: join(root, "runtime"),
    IPYTHONDIR: join(root, "ipython"),
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
  execFileSync(process.execPath, [CLI, "install"], { env, encoding: "utf8" });
  return { env, dataDir, dispose: () => rmSync(root, { recursive: true, force: true }) };
}
