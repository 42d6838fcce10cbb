/** What `ready()` chose, as a value that shows itself in a notebook. */
import { DISPLAY, type MimeBundle } from "../display/index.js";

export type BackendName = "tensorflow" | "wasm" | "cpu";

export interface BackendInfo {
  name: BackendName;
  /** Why this backend, e.g. "wasm: @tensorflow/tfjs-node is not installed". */
  reason: string;
  /** Threads the backend computes with. */
  threads: number;
  /** Kernels mnist-lab registered for this backend (empty unless wasm). */
  kernels: string[];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[ch] as string);
}

export function backendInfoText(info: BackendInfo): string {
  const kernels = info.kernels.length ? `; our kernels: ${info.kernels.join(", ")}` : "";
  return `tfjs backend ${info.name} (${info.threads} thread${info.threads === 1 ? "" : "s"}) — ${info.reason}${kernels}`;
}

export function backendInfoBundle(info: BackendInfo): MimeBundle {
  const kernels = info.kernels.length ? `<br><small>our kernels: ${info.kernels.map((k) => `<code>${escapeHtml(k)}</code>`).join(", ")}</small>` : "";
  return {
    "text/plain": backendInfoText(info),
    "text/html": `<div class="mnist-lab-backend"><b>tfjs backend: ${escapeHtml(info.name)}</b> (${info.threads} thread${info.threads === 1 ? "" : "s"}) — ${escapeHtml(info.reason)}${kernels}</div>`,
  };
}

/** A frozen BackendInfo that displays itself (the display method is not enumerable). */
export function makeBackendInfo(fields: BackendInfo): BackendInfo {
  const info = { ...fields, kernels: [...fields.kernels] };
  Object.defineProperty(info, DISPLAY, { value: () => backendInfoBundle(info), enumerable: false });
  Object.freeze(info.kernels);
  return Object.freeze(info);
}
