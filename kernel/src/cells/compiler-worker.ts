/** The compiler's thread: owns tslab's converter and the declarations accumulated by earlier cells. */
import { parentPort } from "node:worker_threads";
import { loadTslabConverter } from "./tslab-converter.js";
import { BUILTIN_DECLARATIONS } from "./builtin-declarations.js";
import type { CompileResult, Completeness, Completion, Envelope, Inspection, Reply, Request } from "./compiler-protocol.js";

const loaded = loadTslabConverter();
const { converter, ts } = loaded;
converter.addModule("__mnist_lab_builtins__", BUILTIN_DECLARATIONS);
let declarations = "";
// Warm up here, in parallel with the kernel answering its first requests: the first real
// compile then does not pay for loading lib.*.d.ts and @types.
converter.convert("", "0");

function extractMap(js: string): string | undefined {
  const all = [...js.matchAll(/\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)/g)];
  const last = all[all.length - 1];
  return last ? Buffer.from(last[1], "base64").toString("utf8") : undefined;
}

/**
 * Successful compiles by (earlier cells' declarations, source): re-running a cell unchanged skips
 * the type check. Only for code that refers to no module or file, in the cell or in the
 * declarations, since then nothing outside the key (a local .ts or a .d.ts that changed) can
 * change the result.
 */
const compiled = new Map<string, CompileResult>();
const COMPILE_CACHE_SIZE = 32;
const REFERS_OUTSIDE = /\b(?:import|require|from)\b|\/\/\//;

function compile(src: string): CompileResult {
  const cacheable = !REFERS_OUTSIDE.test(src) && !REFERS_OUTSIDE.test(declarations);
  const key = `${declarations}\0${src}`;
  const hit = cacheable ? compiled.get(key) : undefined;
  if (hit) {
    compiled.delete(key); // most recently used last
    compiled.set(key, hit);
    return hit;
  }
  const result = convert(src);
  if (cacheable && result.ok) {
    compiled.set(key, result);
    if (compiled.size > COMPILE_CACHE_SIZE) compiled.delete(compiled.keys().next().value!);
  }
  return result;
}

function convert(src: string): CompileResult {
  const r = converter.convert(declarations, src);
  if (r.diagnostics.length > 0) {
    return {
      ok: false,
      diagnostics: r.diagnostics.map((d) => ({
        line: d.start.line, column: d.start.character, code: d.code,
        message: (d.fileName ? `${d.fileName}: ` : "") + d.messageText,
      })),
    };
  }
  const output = r.output ?? "";
  return {
    ok: true,
    cell: {
      js: output.replace(/\n?\/\/# sourceMappingURL=[^\n]*/g, ""),
      declarations: r.declOutput ?? declarations,
      lastExpressionVar: r.lastExpressionVar,
      hasTopLevelAwait: Boolean(r.hasToplevelAwait),
      finalMap: output ? extractMap(output) : undefined,
      stageOneMap: output ? extractMap(loaded.lastStageOne()) : undefined,
      sideOutputs: r.sideOutputs,
    },
  };
}

function complete(src: string, position: number): Completion {
  const info = converter.complete(declarations, src, position);
  // TypeScript also offers fuzzy matches (`ab` → `ReadableStream`); keep those that start with what was typed.
  const typed = src.slice(info.start, position).toLowerCase();
  const prefixed = info.candidates.filter((c) => c.toLowerCase().startsWith(typed));
  return { start: info.start, end: info.end, matches: prefixed.length > 0 ? prefixed : info.candidates };
}

function inspect(src: string, position: number): Inspection | undefined {
  // Ask just after the identifier too, so a cursor at its end still finds it.
  const info = converter.inspect(declarations, src, position) ?? (position > 0 ? converter.inspect(declarations, src, position - 1) : undefined);
  if (!info) return undefined;
  const text = (parts?: { text: string }[]) => (parts ?? []).map((p) => p.text).join("");
  const tags = (info.tags ?? []).map((t: { name: string; text?: { text: string }[] }) => `@${t.name} ${text(t.text)}`.trim());
  return { signature: text(info.displayParts), documentation: [text(info.documentation), ...tags].filter(Boolean).join("\n") };
}

function isComplete(src: string): Completeness {
  const r = loaded.isCompleteCode(src);
  if (!r.completed) return { status: "incomplete", indent: r.indent ?? "" };
  const file = ts.createSourceFile("cell.ts", src, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const errors = (file as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics ?? [];
  return { status: errors.length > 0 ? "invalid" : "complete" };
}

function handle(req: Request): unknown {
  switch (req.op) {
    case "compile": return compile(req.src);
    case "commit": declarations = req.declarations; return true;
    case "complete": return complete(req.src, req.position);
    case "inspect": return inspect(req.src, req.position);
    case "isComplete": return isComplete(req.src);
    case "reset": declarations = ""; return true;
  }
}

parentPort!.on("message", (env: Envelope) => {
  let reply: Reply;
  try {
    reply = { id: env.id, ok: true, value: handle(env) };
  } catch (e) {
    reply = { id: env.id, ok: false, error: (e as Error)?.stack ?? String(e) };
  }
  parentPort!.postMessage(reply);
});
parentPort!.postMessage({ id: 0, ok: true, value: "ready" });
