/**
 * Local TypeScript files a notebook imports (`import { f } from "./helpers"`): the compiler
 * hands us their CommonJS; `require` serves them from here, re-running a file after it changed.
 */
import Module from "node:module";
import { dirname, extname, isAbsolute, resolve } from "node:path";

export class LocalModules {
  private readonly sources = new Map<string, string>();
  private readonly loaded = new Map<string, Module>();

  update(outputs: { path: string; data: string }[] | undefined): void {
    for (const { path, data } of outputs ?? []) {
      if (this.sources.get(path) !== data) this.loaded.delete(path);
      this.sources.set(path, data);
    }
  }

  /** Wraps `require` so relative ids that name a compiled local file load it from memory. */
  wrap(base: NodeJS.Require, dir: string): NodeJS.Require {
    const local = (id: string): unknown => {
      if (!id.startsWith(".") && !isAbsolute(id)) return undefined;
      let file = resolve(dir, id);
      if (extname(file) === "" || extname(file) === ".ts") file = file.replace(/\.ts$/, "") + ".js";
      if (!this.sources.has(file)) return undefined;
      let mod = this.loaded.get(file);
      if (!mod) {
        mod = new Module(file, module);
        mod.filename = file;
        mod.paths = (Module as unknown as { _nodeModulePaths(d: string): string[] })._nodeModulePaths(dirname(file));
        const req = this.wrap(Module.createRequire(file), dirname(file));
        mod.require = req as typeof mod.require;
        this.loaded.set(file, mod);
        (mod as unknown as { _compile(code: string, file: string): void })._compile(this.sources.get(file)!, file);
      }
      return mod.exports;
    };
    return Object.assign((id: string) => local(id) ?? base(id), base);
  }
}
