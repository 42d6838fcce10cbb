/** Folds iopub messages of one execution into nbformat-4 outputs, the way a notebook frontend shows them. */
import type { JupyterMessage } from "../wire/index.js";

export type NbOutput =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string }
  | { output_type: "display_data"; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { output_type: "execute_result"; execution_count: number | null; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

export class OutputCollector {
  readonly outputs: NbOutput[] = [];
  private readonly byDisplayId = new Map<string, NbOutput[]>();
  private clearOnNext = false;

  /** Returns true when the message was an output message. */
  add(msg: JupyterMessage): boolean {
    const c = msg.content ?? {};
    switch (msg.header.msg_type) {
      case "stream": {
        this.flushClear();
        const last = this.outputs[this.outputs.length - 1];
        if (last?.output_type === "stream" && last.name === c.name) last.text += c.text;
        else this.outputs.push({ output_type: "stream", name: c.name, text: String(c.text ?? "") });
        return true;
      }
      case "display_data":
      case "execute_result": {
        this.flushClear();
        const out: NbOutput =
          msg.header.msg_type === "display_data"
            ? { output_type: "display_data", data: c.data ?? {}, metadata: c.metadata ?? {} }
            : { output_type: "execute_result", execution_count: c.execution_count ?? null, data: c.data ?? {}, metadata: c.metadata ?? {} };
        this.outputs.push(out);
        const id = c.transient?.display_id;
        if (typeof id === "string") this.byDisplayId.set(id, [...(this.byDisplayId.get(id) ?? []), out]);
        return true;
      }
      case "update_display_data": {
        for (const out of this.byDisplayId.get(c.transient?.display_id) ?? []) {
          if (out.output_type === "display_data" || out.output_type === "execute_result") {
            out.data = c.data ?? {};
            out.metadata = c.metadata ?? {};
          }
        }
        return true;
      }
      case "error":
        this.flushClear();
        this.outputs.push({ output_type: "error", ename: c.ename, evalue: c.evalue, traceback: c.traceback ?? [] });
        return true;
      case "clear_output":
        if (c.wait) this.clearOnNext = true;
        else this.clear();
        return true;
      default:
        return false;
    }
  }

  private flushClear(): void {
    if (this.clearOnNext) this.clear();
  }

  private clear(): void {
    this.outputs.length = 0;
    this.byDisplayId.clear();
    this.clearOnNext = false;
  }
}
