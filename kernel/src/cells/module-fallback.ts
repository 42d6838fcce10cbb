/**
 * Lets a notebook in any folder import the packages installed beside the kernel
 * (the `mnist-lab` library above all): when a package is not found up the notebook's
 * folders, the lookup falls back to the kernel's own node_modules. Local installs win.
 */
import Module from "node:module";
import { existsSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";

/** The node_modules folders that hold the kernel's dependencies (workspace root first). */
export function kernelNodeModules(): string[] {
  const found: string[] = [];
  for (let dir = resolve(__dirname, "..", ".."); ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules");
    if (existsSync(candidate)) found.push(candidate);
    if (dirname(dir) === dir) return found;
  }
}

/** `require` resolving from `dir` first and from the kernel's node_modules second. */
export function createFallbackRequire(dir: string): NodeJS.Require {
  const local = Module.createRequire(join(dir, "__notebook__.js"));
  const fallback = Module.createRequire(join(resolve(__dirname, "..", ".."), "__kernel__.js"));
  const req = ((id: string) => {
    try {
      return local(id);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND" || id.startsWith(".") || id.startsWith(sep)) throw e;
      return fallback(id);
    }
  }) as NodeJS.Require;
  req.resolve = ((id: string, options?: { paths?: string[] }) => {
    try {
      return local.resolve(id, options);
    } catch {
      return fallback.resolve(id, options);
    }
  }) as NodeJS.RequireResolve;
  req.cache = local.cache;
  req.main = local.main;
  req.extensions = local.extensions;
  return req;
}

/**
 * Maps `/node_modules/...` (the last folder the compiler's upward search looks at)
 * to the kernel's node_modules when the real one has no such entry.
 */
export function fallbackPath(path: string, exists: (p: string) => boolean, roots: string[]): string {
  const prefix = `${sep}node_modules`;
  if (!(path === prefix || path.startsWith(prefix + sep)) || exists(path)) return path;
  const rest = path.slice(prefix.length);
  for (const root of roots) {
    const mapped = root + rest;
    if (exists(mapped)) return mapped;
  }
  return path;
}
