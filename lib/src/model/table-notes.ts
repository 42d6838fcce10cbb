/**
 * The shared table (display/table.ts) with lines of notes under it (totals),
 * and the number format the model displays use (225,034).
 */
import type { MimeBundle } from "../display/bundle.js";
import { table, type TableOptions } from "../display/table.js";

export function formatNumber(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number") return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toFixed(4);
  return String(value);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function tableWithNotes(
  rows: readonly Record<string, unknown>[],
  options: TableOptions,
  notes: readonly string[],
): MimeBundle {
  const t = table(rows, { format: formatNumber, ...options });
  return {
    "text/plain": [t.toText(), ...notes].join("\n"),
    "text/html": `<div class="mnist-lab-model">${t.toHTML()}${notes.map((n) => `<div>${escapeHtml(n)}</div>`).join("")}</div>`,
  };
}
