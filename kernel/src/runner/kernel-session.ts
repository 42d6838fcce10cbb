/**
 * The runner's view of a kernel: the project's KernelClient (a real kernel
 * process over zeromq, fresh random key, 0600 connection file), reduced to the
 * three things a run needs. The only file in the runner that knows the client.
 */
import { KernelClient } from "../client/index.js";
import type { Output } from "../report/notebook.js";

export interface CellResult {
  status: "ok" | "error" | "aborted";
  outputs: Output[];
  executionCount: number | null;
  /** From the reply when status is "error". */
  error?: { ename: string; evalue: string; traceback: string[] };
}

export interface KernelSession {
  run(code: string, options?: { storeHistory?: boolean }): Promise<CellResult>;
  interrupt(): Promise<void>;
  close(): Promise<void>;
}

export async function startKernelSession(cwd: string, env: NodeJS.ProcessEnv): Promise<KernelSession> {
  const client = await KernelClient.start({ cwd, env });
  return {
    async run(code, options = {}) {
      const result = await client.execute(code, {
        stopOnError: true,
        allowStdin: false,
        storeHistory: options.storeHistory ?? true,
      });
      const content = (result.reply.content ?? {}) as { status?: string; ename?: string; evalue?: string; traceback?: string[] };
      const status = content.status === "ok" ? "ok" : content.status === "aborted" ? "aborted" : "error";
      return {
        status,
        outputs: result.outputs as Output[],
        executionCount: result.executionCount ?? null,
        error:
          status === "error"
            ? { ename: content.ename ?? "Error", evalue: content.evalue ?? "", traceback: content.traceback ?? [] }
            : undefined,
      };
    },
    async interrupt() {
      await client.interrupt();
    },
    async close() {
      try {
        await client.shutdown();
      } finally {
        await client.close();
      }
    },
  };
}
