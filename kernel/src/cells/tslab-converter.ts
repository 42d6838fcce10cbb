/**
 * Loads tslab's converter (its TypeScript-to-JavaScript cell compiler, not its kernel) with a
 * patched view of its TypeScript: inline source maps (to map tracebacks to cell lines),
 * shorthand properties that read earlier cells' names (`{ plain }`) expanded before its rewrite, a
 * module lookup that falls back to the kernel's node_modules, and no blocking on diagnostics
 * that only concern declaration emit. Runs inside the compiler worker.
 */
import Module from "node:module";
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { fallbackPath, kernelNodeModules } from "./module-fallback.js";
import { withEarlierCellShorthands } from "./earlier-cell-shorthand.js";

type Ts = typeof import("typescript");

/** Where tslab keeps the declarations of earlier cells (its `__prev__.d.ts`). */
const EARLIER_CELLS_FILE = "/__prev__.d.ts";

export interface TslabConverter {
  convert(prevDecl: string, src: string): {
    output?: string; declOutput?: string; lastExpressionVar?: string; hasToplevelAwait?: boolean;
    sideOutputs?: { path: string; data: string }[];
    diagnostics: { start: { line: number; character: number }; messageText: string; code: number; category: number; fileName?: string }[];
  };
  inspect(prevDecl: string, src: string, position: number): any;
  complete(prevDecl: string, src: string, position: number): { start: number; end: number; candidates: string[] };
  addModule(name: string, content: string): unknown[];
}

export interface LoadedConverter {
  converter: TslabConverter;
  ts: Ts;
  isCompleteCode(src: string): { completed: boolean; indent?: string };
  /** The ES-module JavaScript of the last cell, with its inline map (stage one of two). */
  lastStageOne(): string;
}

export function loadTslabConverter(): LoadedConverter {
  const converterFile = require.resolve("tslab/dist/converter.js", { paths: [__dirname] });
  const tsFile = require.resolve("@tslab/typescript-for-tslab", { paths: [dirname(converterFile)] });
  const ts: Ts = require(tsFile);
  let stageOne = "";
  const roots = kernelNodeModules();
  const realSys = ts.sys;
  const exists = (p: string) => realSys.fileExists(p) || realSys.directoryExists(p);
  const map = (p: string) => fallbackPath(p, exists, roots);
  const sys: typeof ts.sys = Object.create(realSys);
  Object.assign(sys, {
    fileExists: (p: string) => realSys.fileExists(map(p)),
    directoryExists: (p: string) => realSys.directoryExists(map(p)),
    readFile: (p: string, enc?: string) => realSys.readFile(map(p), enc),
    readDirectory: (p: string, ...rest: any[]) => (realSys.readDirectory as any)(map(p), ...rest),
    realpath: (p: string) => (realSys.realpath ? realSys.realpath(map(p)) : map(p)),
    getDirectories: (p: string) => realSys.getDirectories(map(p)),
  });
  const overrides = {
    __esModule: true,
    sys,
    createWatchCompilerHost: (files: any, options: any, ...rest: any[]) => withEarlierCellShorthands(
      ts, (ts.createWatchCompilerHost as any)(files, { ...options, inlineSourceMap: true, types: ["node"] }, ...rest),
      (fileName) => fileName.endsWith(EARLIER_CELLS_FILE)),
    transpileModule: (input: string, options: any) => {
      stageOne = input;
      return ts.transpileModule(input, { ...options, compilerOptions: { ...options.compilerOptions, inlineSourceMap: true } });
    },
    getPreEmitDiagnosticsOfFiles: (program: any, files: any[]) => {
      const all = (ts as any).getPreEmitDiagnosticsOfFiles(program, files) as import("typescript").Diagnostic[];
      const key = (d: import("typescript").Diagnostic) => `${d.file?.fileName}:${d.start}:${d.code}`;
      const declarationOnly = new Set<string>();
      for (const f of files) for (const d of program.getDeclarationDiagnostics(f)) declarationOnly.add(key(d));
      return all.filter((d) => !declarationOnly.has(key(d)));
    },
  };
  const view = Object.create(ts);
  for (const [name, value] of Object.entries(overrides)) Object.defineProperty(view, name, { value, enumerable: true });

  // Compile converter.js as a fresh module whose require hands it the patched view.
  const mod = new Module(converterFile, module) as any;
  mod.filename = converterFile;
  mod.paths = (Module as any)._nodeModulePaths(dirname(converterFile));
  const plainRequire = mod.require;
  mod.require = function (id: string) {
    return id === "@tslab/typescript-for-tslab" ? view : plainRequire.call(this, id);
  };
  mod._compile(readFileSync(converterFile, "utf8"), converterFile);
  const converter = mod.exports.createConverter() as TslabConverter;
  return { converter, ts, isCompleteCode: mod.exports.isCompleteCode, lastStageOne: () => stageOne };
}
