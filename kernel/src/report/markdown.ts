/**
 * Markdown → HTML with markdown-it, and LaTeX rendered server-side by KaTeX:
 * `$…$` inline, `$$…$$` inline or as a block. Math is recognised the way
 * Jupyter does it closely enough for our notebooks: an inline `$` must not be
 * followed by a space and its closing `$` not preceded by one, so "costs $5
 * and $6" stays text. A formula KaTeX cannot parse is shown as its source in red.
 */
import MarkdownIt from "markdown-it";
import katex from "katex";
import { highlightCode } from "./highlight.js";
import { escapeHtml } from "./html.js";

export function renderMath(tex: string, displayMode: boolean): string {
  return katex.renderToString(tex, { displayMode, throwOnError: false, output: "htmlAndMathml", strict: "ignore" });
}

function mathPlugin(md: MarkdownIt): void {
  md.inline.ruler.before("escape", "math_inline", (state, silent) => {
    const src = state.src;
    const start = state.pos;
    if (src.charCodeAt(start) !== 0x24 /* $ */) return false;
    const display = src.charCodeAt(start + 1) === 0x24;
    const open = display ? 2 : 1;
    let end = start + open;
    for (;;) {
      end = src.indexOf(display ? "$$" : "$", end);
      if (end === -1) return false;
      if (src.charCodeAt(end - 1) === 0x5c /* \ */) {
        end += 1;
        continue;
      }
      break;
    }
    const tex = src.slice(start + open, end);
    if (!tex.trim()) return false;
    if (!display && (/^\s/.test(tex) || /\s$/.test(tex) || /^\d/.test(src.slice(end + 1, end + 2)))) return false;
    if (!silent) {
      const token = state.push(display ? "math_display" : "math_inline", "math", 0);
      token.content = tex;
      token.markup = display ? "$$" : "$";
    }
    state.pos = end + open;
    return true;
  });

  md.block.ruler.before("fence", "math_block", (state, startLine, endLine, silent) => {
    const lineStart = state.bMarks[startLine]! + state.tShift[startLine]!;
    const lineEnd = state.eMarks[startLine]!;
    const first = state.src.slice(lineStart, lineEnd);
    if (!first.startsWith("$$")) return false;
    const rest = first.slice(2);
    // "$$ x $$" on one line
    if (rest.trim().endsWith("$$")) {
      if (silent) return true;
      const token = state.push("math_block", "math", 0);
      token.content = rest.trim().slice(0, -2);
      token.map = [startLine, startLine + 1];
      state.line = startLine + 1;
      return true;
    }
    let line = startLine + 1;
    const body: string[] = rest.trim() ? [rest] : [];
    let closed = false;
    for (; line < endLine; line++) {
      const text = state.src.slice(state.bMarks[line]! + state.tShift[line]!, state.eMarks[line]!);
      if (text.trimEnd().endsWith("$$")) {
        body.push(text.trimEnd().slice(0, -2));
        closed = true;
        break;
      }
      body.push(text);
    }
    if (!closed) return false;
    if (silent) return true;
    const token = state.push("math_block", "math", 0);
    token.content = body.join("\n");
    token.map = [startLine, line + 1];
    state.line = line + 1;
    return true;
  });

  md.renderer.rules.math_inline = (tokens, idx) => renderMath(tokens[idx]!.content, false);
  md.renderer.rules.math_display = (tokens, idx) => renderMath(tokens[idx]!.content, true);
  md.renderer.rules.math_block = (tokens, idx) => `<div class="math-block">${renderMath(tokens[idx]!.content, true)}</div>\n`;
}

const markdown = new MarkdownIt({
  html: true,
  linkify: true,
  highlight: (code, language) => highlightCode(code, language || "plaintext") || escapeHtml(code),
}).use(mathPlugin);

export function renderMarkdown(source: string): string {
  return markdown.render(source);
}
