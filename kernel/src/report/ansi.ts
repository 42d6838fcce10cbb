/**
 * ANSI escape sequences in stream and traceback text → HTML. SGR colours and
 * bold/italic/underline become <span style>; every other escape (cursor moves,
 * OSC titles) is dropped. Carriage returns are applied as a terminal would:
 * a progress line rewritten with "\r" shows only its last state.
 */
import { escapeHtml } from "./html.js";

const BASIC = ["#000000", "#c91b00", "#00a600", "#a68a0d", "#0225c7", "#c930c7", "#00a6b2", "#bfbfbf"];
const BRIGHT = ["#686868", "#ff6e67", "#3bbf3b", "#c6a700", "#6871ff", "#ff77ff", "#20c5c6", "#ffffff"];

interface Style {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
}

// CSI sequences (ESC [ … final byte), OSC sequences (ESC ] … BEL/ST), and lone two-byte escapes.
const ESCAPE = /\x1b\[([0-9;?]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Applies "\r" overwrites line by line (keeps "\r\n" as a newline). */
export function applyCarriageReturns(text: string): string {
  return text
    .replace(/\r\n/g, "\n")
    .split("\n")
    .map((line) => line.slice(line.lastIndexOf("\r") + 1))
    .join("\n");
}

export function stripAnsi(text: string): string {
  return text.replace(ESCAPE, "");
}

function color256(n: number): string {
  if (n < 8) return BASIC[n]!;
  if (n < 16) return BRIGHT[n - 8]!;
  if (n < 232) {
    const i = n - 16;
    const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
    return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
  }
  const grey = 8 + (n - 232) * 10;
  return `rgb(${grey},${grey},${grey})`;
}

function applySgr(style: Style, params: number[]): Style {
  const next = { ...style };
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    if (p === 0) for (const key of Object.keys(next)) delete next[key as keyof Style];
    else if (p === 1) next.bold = true;
    else if (p === 2) next.dim = true;
    else if (p === 3) next.italic = true;
    else if (p === 4) next.underline = true;
    else if (p === 22) next.bold = next.dim = false;
    else if (p === 23) next.italic = false;
    else if (p === 24) next.underline = false;
    else if (p >= 30 && p <= 37) next.fg = BASIC[p - 30];
    else if (p >= 90 && p <= 97) next.fg = BRIGHT[p - 90];
    else if (p === 39) delete next.fg;
    else if (p >= 40 && p <= 47) next.bg = BASIC[p - 40];
    else if (p >= 100 && p <= 107) next.bg = BRIGHT[p - 100];
    else if (p === 49) delete next.bg;
    else if (p === 38 || p === 48) {
      const key = p === 38 ? "fg" : "bg";
      if (params[i + 1] === 5 && params[i + 2] !== undefined) {
        next[key] = color256(params[i + 2]!);
        i += 2;
      } else if (params[i + 1] === 2 && params.length >= i + 5) {
        next[key] = `rgb(${params[i + 2]},${params[i + 3]},${params[i + 4]})`;
        i += 4;
      }
    }
  }
  return next;
}

function css(style: Style): string {
  const parts: string[] = [];
  if (style.fg) parts.push(`color:${style.fg}`);
  if (style.bg) parts.push(`background-color:${style.bg}`);
  if (style.bold) parts.push("font-weight:bold");
  if (style.dim) parts.push("opacity:0.7");
  if (style.italic) parts.push("font-style:italic");
  if (style.underline) parts.push("text-decoration:underline");
  return parts.join(";");
}

/** Terminal text → escaped HTML with coloured spans (for use inside <pre>). */
export function ansiToHtml(text: string): string {
  const source = applyCarriageReturns(text);
  let html = "";
  let style: Style = {};
  let last = 0;
  const emit = (chunk: string) => {
    if (!chunk) return;
    const styleText = css(style);
    html += styleText ? `<span style="${styleText}">${escapeHtml(chunk)}</span>` : escapeHtml(chunk);
  };
  for (const match of source.matchAll(ESCAPE)) {
    emit(source.slice(last, match.index));
    last = match.index! + match[0].length;
    if (match[2] === "m") {
      const params = (match[1] ?? "").split(";").map((p) => (p === "" ? 0 : Number(p)));
      style = applySgr(style, params);
    }
  }
  emit(source.slice(last));
  return html;
}
