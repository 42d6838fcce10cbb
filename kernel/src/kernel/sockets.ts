/** Binds the five channels: shell and stdin (ROUTER) and iopub (PUB) here, heartbeat and control in workers. */
import { Worker } from "node:worker_threads";
import { setTimeout } from "node:timers";
import { join } from "node:path";
import * as zmq from "zeromq";
import { endpoint, SendQueue, type ConnectionInfo } from "../wire/index.js";
import { kernelLog } from "./streams.js";

export interface KernelSockets {
  shell: zmq.Router;
  stdin: zmq.Router;
  iopub: zmq.Publisher;
  control: Worker;
  heartbeat: Worker;
  send: { shell: SendQueue; stdin: SendQueue; iopub: SendQueue };
  /** Closes every socket, the workers' included, and waits for the workers to end. */
  close(): Promise<void>;
}

export async function bindSockets(info: ConnectionInfo): Promise<KernelSockets> {
  const shell = new zmq.Router({ linger: 0 });
  const stdin = new zmq.Router({ linger: 0 });
  const iopub = new zmq.Publisher({ linger: 0, sendHighWaterMark: 100_000 });
  const heartbeat = new Worker(join(__dirname, "heartbeat-worker.js"), { workerData: { address: endpoint(info, "hb") } });
  const control = new Worker(join(__dirname, "control-worker.js"), {
    workerData: { address: endpoint(info, "control"), key: info.key, scheme: info.signature_scheme },
  });
  const controlBound = new Promise<void>((resolve, reject) => {
    const onMessage = (m: { bound?: boolean; error?: string }) => {
      if (m.bound) resolve();
      if (m.error) reject(new Error(m.error));
      if (m.bound || m.error) control.off("message", onMessage);
    };
    control.on("message", onMessage);
    control.once("error", reject);
  });
  await Promise.all([
    shell.bind(endpoint(info, "shell")),
    stdin.bind(endpoint(info, "stdin")),
    iopub.bind(endpoint(info, "iopub")),
    controlBound,
  ]);
  const onError = (channel: string) => (e: unknown) => kernelLog(`sending on ${channel} failed: ${(e as Error).message}`);
  return {
    shell, stdin, iopub, control, heartbeat,
    send: {
      shell: new SendQueue(shell, onError("shell")),
      stdin: new SendQueue(stdin, onError("stdin")),
      iopub: new SendQueue(iopub, onError("iopub")),
    },
    async close() {
      const ended = [control, heartbeat].map((w) => new Promise((r) => w.once("exit", r)));
      control.postMessage("close");
      heartbeat.postMessage("close");
      shell.close();
      stdin.close();
      iopub.close();
      // at most a second for the workers; the timer must not outlive the wait
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(ended), new Promise((r) => (timer = setTimeout(r, 1000).unref()))]);
      clearTimeout(timer);
    },
  };
}
