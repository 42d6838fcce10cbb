/** Shared helpers for the kernel tests: a real kernel process, reached over real zeromq sockets. */
import { KernelClient } from "../../kernel/src/client/index.js";
import type { NbOutput } from "../../kernel/src/client/outputs.js";

export { KernelClient };

export function text(outputs: NbOutput[], name: "stdout" | "stderr" = "stdout"): string {
  return outputs.filter((o) => o.output_type === "stream" && o.name === name).map((o) => (o as { text: string }).text).join("");
}

export function result(outputs: NbOutput[]): string | undefined {
  const r = outputs.find((o) => o.output_type === "execute_result");
  return r && r.output_type === "execute_result" ? String(r.data["text/plain"]) : undefined;
}

export function errorOf(outputs: NbOutput[]): { ename: string; evalue: string; traceback: string[] } | undefined {
  const e = outputs.find((o) => o.output_type === "error");
  return e && e.output_type === "error" ? e : undefined;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` holds (polling), failing with `what` after `ms`. */
export async function eventually(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
