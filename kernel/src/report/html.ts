/** Escaping for text placed in HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * Makes JSON or a script safe inside an inline <script>: a literal "</script"
 * or "<!--" would end or confuse the element, so "<" is escaped everywhere.
 * Valid in JS source as long as it only occurs in strings, regexes or comments,
 * which is the case for JSON and for the minified bundles we inline.
 */
export function scriptSafe(source: string): string {
  return source.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

/** JSON for a <script> block: "<" escaped as \u003c so no tag can close it. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
