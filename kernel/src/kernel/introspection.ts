/** Reply content for complete, inspect, is_complete and `expr?` paging: the compiler's answers in Jupyter's shapes. */
import type { CellCompiler } from "../cells/compiler.js";
import { codePointsToUtf16, utf16ToCodePoints } from "./unicode.js";

type Content = Record<string, any>;

function codeAndCursor(content: Content): { code: string; cursor: number } {
  const code = String(content.code ?? "");
  return { code, cursor: codePointsToUtf16(code, Number(content.cursor_pos ?? code.length)) };
}

export async function completeReply(compiler: CellCompiler, content: Content): Promise<Content> {
  const { code, cursor } = codeAndCursor(content);
  await compiler.ready;
  const r = await compiler.complete(code, cursor);
  return {
    status: "ok",
    matches: r.matches,
    cursor_start: utf16ToCodePoints(code, r.start),
    cursor_end: utf16ToCodePoints(code, r.end),
    metadata: {},
  };
}

export async function inspectReply(compiler: CellCompiler, content: Content): Promise<Content> {
  const { code, cursor } = codeAndCursor(content);
  await compiler.ready;
  const info = await compiler.inspect(code, cursor);
  if (!info) return { status: "ok", found: false, data: {}, metadata: {} };
  const text = [info.signature, info.documentation].filter(Boolean).join("\n\n");
  const markdown = "```typescript\n" + info.signature + "\n```" + (info.documentation ? "\n\n" + info.documentation : "");
  return { status: "ok", found: true, data: { "text/plain": text, "text/markdown": markdown }, metadata: {} };
}

export async function isCompleteReply(compiler: CellCompiler, content: Content): Promise<Content> {
  await compiler.ready;
  const r = await compiler.isComplete(String(content.code ?? ""));
  return r.status === "incomplete" ? { status: "incomplete", indent: r.indent ?? "" } : { status: r.status };
}

/** `Math.max?` shows the type and doc comment in the pager, as IPython's `obj?` does. */
export function pagerRequest(code: string): string | undefined {
  return /^\s*([\w$.]+)\?\s*$/.exec(code)?.[1];
}

export async function pagerPayload(compiler: CellCompiler, expression: string): Promise<Content[]> {
  const info = await compiler.inspect(expression, expression.length);
  const text = info ? [info.signature, info.documentation].filter(Boolean).join("\n\n") : `no information about ${expression}`;
  return [{ source: "page", data: { "text/plain": text }, start: 0 }];
}
