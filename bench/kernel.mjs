// Kernel benchmark: time from process start to the first kernel_info_reply, and the median round trip
// of `1+1` (execute_request → execute_reply and idle) over 30 executions, for mnist-lab's kernel and
// ipykernel side by side in the same run. Needs a build (npm run build) and Debian's python3-ipykernel.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..");
const zmq = require("zeromq");
const { KernelClient } = require(join(root, "kernel/dist/client/index.js"));
const { freePorts } = require(join(root, "kernel/dist/client/ports.js"));
const { createSigner, encode, decode, endpoint, newHeader } = require(join(root, "kernel/dist/wire/index.js"));

const STARTS = 3;
const ROUND_TRIPS = 30;
const PYTHON = "/usr/bin/python3";

const kernels = {
  "mnist-lab": (conn) => [process.execPath, [join(root, "kernel/dist/cli.js"), "kernel", conn]],
  ipykernel: (conn) => [PYTHON, ["-m", "ipykernel_launcher", "-f", conn]],
};

async function connectionFile(dir) {
  const [shell_port, control_port, iopub_port, stdin_port, hb_port] = await freePorts(5);
  const info = { transport: "tcp", ip: "127.0.0.1", shell_port, control_port, iopub_port, stdin_port, hb_port, key: randomBytes(16).toString("hex"), signature_scheme: "hmac-sha256" };
  const file = join(dir, `conn-${shell_port}.json`);
  writeFileSync(file, JSON.stringify(info), { mode: 0o600 });
  return { info, file };
}

/** Spawns the kernel and returns ms until its first kernel_info_reply (the request waits in zeromq until the kernel binds). */
async function timeStart(name, dir) {
  const { info, file } = await connectionFile(dir);
  const signer = createSigner(info.signature_scheme, info.key);
  const shell = new zmq.Dealer({ linger: 0 });
  shell.connect(endpoint(info, "shell"));
  const [cmd, args] = kernels[name](file);
  const started = performance.now();
  const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: "1" } });
  child.stderr.resume();
  const header = newHeader("kernel_info_request", "bench", "bench");
  await shell.send(encode({ identities: [], header, parent_header: {}, metadata: {}, content: {}, buffers: [] }, signer));
  for (;;) {
    const decoded = decode(await shell.receive(), signer);
    if (decoded.ok && decoded.msg.parent_header.msg_id === header.msg_id) break;
  }
  const ms = performance.now() - started;
  shell.close();
  return { ms, info, child, started };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(name, dir) {
  const starts = [];
  let last;
  for (let i = 0; i < STARTS; i++) {
    const run = await timeStart(name, dir);
    starts.push(run.ms);
    if (i < STARTS - 1) {
      run.child.kill("SIGKILL");
      await new Promise((r) => run.child.once("exit", r));
    } else last = run;
  }
  const client = await KernelClient.connect(last.info);
  await client.execute("1+1");
  const firstResult = performance.now() - last.started; // includes loading the compiler
  for (let i = 0; i < 5; i++) await client.execute("1+1"); // warm up
  const trips = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const t = performance.now();
    const r = await client.execute("1+1");
    trips.push(performance.now() - t);
    if (r.reply.content.status !== "ok") throw new Error(`${name}: 1+1 failed: ${JSON.stringify(r.reply.content)}`);
  }
  await client.close();
  last.child.kill("SIGKILL");
  return { start: median(starts), firstResult, roundTrip: median(trips) };
}

const dir = mkdtempSync(join(tmpdir(), "bench-kernel-"));
try {
  if (!existsSync(join(root, "kernel/dist/cli.js"))) throw new Error("build first: npm run build");
  const ours = await measure("mnist-lab", dir);
  const peer = existsSync(PYTHON) ? await measure("ipykernel", dir) : undefined;
  const row = (n, r) => `${n.padEnd(11)} ${(r.start / 1000).toFixed(2).padStart(8)} s ${r.roundTrip.toFixed(1).padStart(10)} ms ${(r.firstResult / 1000).toFixed(2).padStart(10)} s`;
  console.log(`kernel      start→kernel_info  1+1 round trip  start→first 1+1 result`);
  console.log(`            (median of ${STARTS})    (median of ${ROUND_TRIPS})`);
  console.log(row("mnist-lab", ours));
  if (peer) {
    console.log(row("ipykernel", peer));
    console.log(`ratio       ${(ours.start / peer.start).toFixed(2).padStart(8)} x ${(ours.roundTrip / peer.roundTrip).toFixed(2).padStart(10)} x  ${(ours.firstResult / peer.firstResult).toFixed(2).padStart(9)} x   (mnist-lab / ipykernel; lower is better)`);
  } else console.log("ipykernel: /usr/bin/python3 not found, no comparison");
  console.log("targets: start ≤ 1.5 s; round trip ≤ ipykernel's (reference: Deno 1.27 s / 4.2 ms, ipykernel 1.43 s / 9.3 ms, tslab 2.38 s / 17.4 ms)");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
