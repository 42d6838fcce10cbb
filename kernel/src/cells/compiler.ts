/**
 * The cell compiler: TypeScript cell → CommonJS JavaScript, completions, quick info and
 * completeness. The only module the kernel uses for TypeScript; today it is tslab's converter
 * running in a worker thread (it loads while the kernel already answers, and a blocked cell
 * never blocks completion of the next one).
 */
import { Worker } from "node:worker_threads";
import { join } from "node:path";
import type { CompileResult, Completeness, Completion, Envelope, Inspection, Reply, Request } from "./compiler-protocol.js";

export type { CellDiagnostic, CompiledCell, CompileResult, Completeness, Completion, Inspection } from "./compiler-protocol.js";

export class CellCompiler {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private nextId = 1;
  private failure?: Error;
  /** The declarations the worker holds (it starts with none). */
  private committed = "";
  /** Resolves once the converter is loaded. */
  readonly ready: Promise<void>;

  constructor() {
    this.worker = new Worker(join(__dirname, "compiler-worker.js"));
    this.worker.unref();
    let markReady!: () => void;
    this.ready = new Promise((r) => (markReady = r));
    this.worker.on("message", (reply: Reply) => {
      if (reply.id === 0) return markReady();
      const p = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.ok) p?.resolve(reply.value);
      else p?.reject(new Error(reply.error));
    });
    const fail = (e: Error) => {
      this.failure = new Error(`the TypeScript compiler stopped: ${e.message}`);
      for (const p of this.pending.values()) p.reject(this.failure);
      this.pending.clear();
      markReady();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`worker exited with code ${code}`)));
  }

  private call<T>(req: Request): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, ...req } satisfies Envelope);
    });
  }

  compile(src: string): Promise<CompileResult> { return this.call({ op: "compile", src }); }
  /** Makes a cell's declarations visible to later cells (no round trip when they did not change). */
  commit(declarations: string): Promise<void> {
    if (declarations === this.committed) return Promise.resolve();
    this.committed = declarations;
    return this.call({ op: "commit", declarations });
  }
  complete(src: string, position: number): Promise<Completion> { return this.call({ op: "complete", src, position }); }
  inspect(src: string, position: number): Promise<Inspection | undefined> { return this.call({ op: "inspect", src, position }); }
  isComplete(src: string): Promise<Completeness> { return this.call({ op: "isComplete", src }); }
  reset(): Promise<void> {
    this.committed = "";
    return this.call({ op: "reset" });
  }
  close(): Promise<number> { return this.worker.terminate(); }
}
