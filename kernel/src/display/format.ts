/** Formatting values into MIME bundles (separate from sending them). */
import { inspect } from "node:util";

export type MimeBundle = Record<string, unknown>;
export interface Formatted { data: MimeBundle; metadata: Record<string, unknown> }

/** Deno's convention, shared with the mnist-lab library: a value shows itself through this method. */
export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

/** Plain text the way Node's REPL shows it, without ANSI colours. */
export function plainText(value: unknown): string {
  return typeof value === "string" ? inspect(value) : inspect(value, { colors: false, depth: 4, maxArrayLength: 100 });
}

function ownBundle(value: unknown): MimeBundle | undefined {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return undefined;
  const method = (value as Record<symbol, unknown>)[JUPYTER_DISPLAY];
  if (typeof method !== "function") return undefined;
  const bundle = method.call(value);
  return typeof bundle === "object" && bundle !== null ? (bundle as MimeBundle) : undefined;
}

/** A plain object whose keys are all MIME types (`{"text/html": "<b>hi</b>"}`). */
export function isMimeBundle(value: unknown): value is MimeBundle {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => /^[a-z]+\/[-+.\w]+$/i.test(k));
}

/** The bundle of a cell's result: text/plain via util.inspect plus the value's own bundle. */
export function formatResult(value: unknown): Formatted {
  const own = ownBundle(value);
  return { data: { "text/plain": plainText(value), ...own }, metadata: {} };
}

/** The bundle shown by display(value). */
export function formatDisplay(value: unknown): Formatted {
  if (isMimeBundle(value)) return { data: withText(value), metadata: {} };
  return formatResult(value);
}

function withText(bundle: MimeBundle): MimeBundle {
  return "text/plain" in bundle ? bundle : { ...bundle, "text/plain": `<${Object.keys(bundle)[0]} output>` };
}

export const mimeFormatters = {
  html: (html: string): MimeBundle => ({ "text/html": String(html), "text/plain": "<HTML output>" }),
  markdown: (md: string): MimeBundle => ({ "text/markdown": String(md), "text/plain": String(md) }),
  svg: (svg: string): MimeBundle => ({ "image/svg+xml": String(svg), "text/plain": "<SVG image>" }),
  png: (png: Uint8Array | string): MimeBundle => ({
    "image/png": typeof png === "string" ? png : Buffer.from(png).toString("base64"),
    "text/plain": "<PNG image>",
  }),
  json: (value: unknown): MimeBundle => ({ "application/json": value as object, "text/plain": plainText(value) }),
};
