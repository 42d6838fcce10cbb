/** Jupyter's data directories, computed the way jupyter_core does, without Python. */
import { homedir } from "node:os";
import { delimiter, join } from "node:path";

/** The per-user data dir: JUPYTER_DATA_DIR, else the platform default. */
export function userDataDir(env = process.env): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  if (process.platform === "win32") return join(env.APPDATA ?? join(homedir(), "AppData", "Roaming"), "jupyter");
  if (process.platform === "darwin") return join(homedir(), "Library", "Jupyter");
  return join(env.XDG_DATA_HOME ?? join(homedir(), ".local", "share"), "jupyter");
}

/** `sys.prefix` of the Python environment Jupyter runs in: the active venv/conda env, else /usr (Debian). */
export function sysPrefixDataDir(env = process.env): string {
  return join(env.VIRTUAL_ENV ?? env.CONDA_PREFIX ?? "/usr", "share", "jupyter");
}

export function prefixDataDir(prefix: string): string {
  return join(prefix, "share", "jupyter");
}

/** Every data dir Jupyter searches, in order (JUPYTER_PATH first). */
export function dataSearchPath(env = process.env): string[] {
  const extra = (env.JUPYTER_PATH ?? "").split(delimiter).filter(Boolean);
  const system = process.platform === "win32" ? [] : ["/usr/local/share/jupyter", "/usr/share/jupyter"];
  return [...new Set([...extra, userDataDir(env), sysPrefixDataDir(env), ...system])];
}
