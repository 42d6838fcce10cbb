/**
 * stdout/stderr of cells become `stream` messages, batched on a short timer: 100k quick
 * console.log lines become a handful of messages instead of a flood. The kernel's own
 * diagnostics keep going to the real stderr through `kernelLog`.
 */
import { Console } from "node:console";
import { setTimeout as realSetTimeout } from "node:timers";
import type { JupyterMessage } from "../wire/index.js";
import { currentExecution } from "./execution-context.js";

type StreamName = "stdout" | "stderr";
interface Chunk { parent: JupyterMessage; name: StreamName; text: string }

const FLUSH_MS = 20;
/** Above this many buffered characters a batch is sent at once. */
const MAX_BATCH = 1 << 20;

const realStderrWrite = process.stderr.write.bind(process.stderr);

/** Writes a line to the kernel's real stderr (the terminal or the Jupyter server's log). */
export function kernelLog(message: string): void {
  realStderrWrite(`[mnist-lab kernel] ${message}\n`);
}

export class StreamBatcher {
  private chunks: Chunk[] = [];
  private size = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly publish: (parent: JupyterMessage, name: StreamName, text: string) => void) {}

  write(name: StreamName, text: string, parent = currentExecution()?.parent): void {
    if (!parent) return void realStderrWrite(text);
    if (text === "") return;
    const last = this.chunks[this.chunks.length - 1];
    if (last && last.name === name && last.parent === parent) last.text += text;
    else this.chunks.push({ parent, name, text });
    this.size += text.length;
    if (this.size >= MAX_BATCH) this.flush();
    else this.timer ??= realSetTimeout(() => this.flush(), FLUSH_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const chunks = this.chunks;
    this.chunks = [];
    this.size = 0;
    for (const c of chunks) this.publish(c.parent, c.name, c.text);
  }

  /** Routes process.stdout/stderr writes and the global console into this batcher. */
  captureProcessStreams(): void {
    for (const name of ["stdout", "stderr"] as const) {
      const stream = process[name];
      stream.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
        const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
        this.write(name, text);
        const cb = typeof encoding === "function" ? encoding : callback;
        if (typeof cb === "function") process.nextTick(cb as () => void);
        return true;
      }) as typeof stream.write;
    }
    globalThis.console = new Console({ stdout: process.stdout, stderr: process.stderr, colorMode: false });
  }
}
