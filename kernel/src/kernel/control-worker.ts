/**
 * The control channel on its own thread. An interrupt_request raises SIGINT in the
 * process right here, because the main thread may be stuck in `while (true) {}` and could
 * not read the request itself; every message (interrupt included) is then handed to the
 * main thread, which builds the replies; replies come back here to be sent.
 */
import { parentPort, workerData } from "node:worker_threads";
import * as zmq from "zeromq";
import { createSigner, decode, SendQueue } from "../wire/index.js";

const { address, key, scheme } = workerData as { address: string; key: string; scheme: string };
const signer = createSigner(scheme, key);
const socket = new zmq.Router({ linger: 0 });
const queue = new SendQueue(socket, (e) => process.stderr.write(`mnist-lab kernel: control send failed: ${(e as Error).message}\n`));

parentPort!.on("message", (m: Uint8Array[] | "close") => {
  if (m !== "close") return void queue.send(m.map((f) => Buffer.from(f)));
  // Closing the socket here, not by terminating the thread, lets zeromq shut down cleanly.
  void queue.drain().finally(() => {
    socket.close();
    parentPort!.close();
  });
});

async function serve(): Promise<void> {
  await socket.bind(address);
  parentPort!.postMessage({ bound: true });
  for await (const frames of socket) {
    const decoded = decode(frames, signer);
    if (decoded.ok && decoded.msg.header.msg_type === "interrupt_request") process.kill(process.pid, "SIGINT");
    // Verification is repeated on the main thread, which logs and drops bad messages.
    parentPort!.postMessage({ frames });
  }
}

serve().catch((e) => {
  if (socket.closed) return;
  parentPort!.postMessage({ error: `cannot bind control channel ${address}: ${(e as Error).message}` });
});
