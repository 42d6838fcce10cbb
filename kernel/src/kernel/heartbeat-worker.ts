/** The heartbeat: a REP socket echoing pings, on its own thread so a blocked cell never stops it. */
import { parentPort, workerData } from "node:worker_threads";
import * as zmq from "zeromq";

const socket = new zmq.Reply({ linger: 0 });

async function echo(address: string): Promise<void> {
  await socket.bind(address);
  for await (const frames of socket) await socket.send(frames);
}

// Closing the socket here, not by terminating the thread, lets zeromq shut down cleanly.
parentPort!.on("message", (m) => {
  if (m === "close") {
    socket.close();
    parentPort!.close();
  }
});

echo(workerData.address).catch((e) => {
  if (socket.closed) return;
  process.stderr.write(`mnist-lab kernel: heartbeat stopped: ${(e as Error).message}\n`);
});
