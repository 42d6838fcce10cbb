/**
 * A small Jupyter client over real zeromq sockets: starts (or connects to) a kernel,
 * runs code and folds the iopub traffic into nbformat outputs. Used by the tests and
 * by the headless notebook runner.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as zmq from "zeromq";
import {
  createSigner, decode, encode, endpoint, newHeader, SendQueue,
  type ConnectionInfo, type JupyterMessage, type Signer,
} from "../wire/index.js";
import { OutputCollector, type NbOutput } from "./outputs.js";
import { freePorts } from "./ports.js";

export type { ConnectionInfo, JupyterMessage, NbOutput };

export interface StartOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
}

export interface ExecuteOptions {
  silent?: boolean;
  storeHistory?: boolean;
  userExpressions?: Record<string, string>;
  allowStdin?: boolean;
  stopOnError?: boolean;
  onIopub?: (msg: JupyterMessage) => void;
  onInput?: (prompt: string, password: boolean) => string | Promise<string>;
  signal?: AbortSignal;
}

export interface ExecuteResult {
  reply: JupyterMessage;
  outputs: NbOutput[];
  executionCount: number | null;
}

/** The built kernel entry (also when this file runs from kernel/src, as in tests). */
const CLI = [resolve(__dirname, "..", "cli.js"), resolve(__dirname, "..", "..", "dist", "cli.js")].find(existsSync)
  ?? resolve(__dirname, "..", "cli.js");

/** How long execute() waits for the idle status after the reply, and shutdown() for the exit. */
const IDLE_AFTER_REPLY_MS = 5000;
const EXIT_AFTER_SHUTDOWN_MS = 5000;

interface Pending {
  resolve(msg: JupyterMessage): void;
  reject(e: Error): void;
}

export class KernelClient {
  readonly session = randomUUID();
  /** Everything the spawned kernel wrote on stderr (kept for error messages). */
  stderr = "";
  private readonly signer: Signer;
  private readonly shell: zmq.Dealer;
  private readonly control: zmq.Dealer;
  private readonly stdin: zmq.Dealer;
  private readonly iopub: zmq.Subscriber;
  private readonly queues: Record<"shell" | "control" | "stdin", SendQueue>;
  private readonly replies = new Map<string, Pending>();
  private readonly iopubListeners = new Map<string, (msg: JupyterMessage) => void>();
  private readonly inputHandlers = new Map<string, (msg: JupyterMessage) => void>();
  private closed = false;
  private exitError?: Error;
  private tempDir?: string;

  private constructor(readonly connection: ConnectionInfo, readonly process?: ChildProcess) {
    this.signer = createSigner(connection.signature_scheme, connection.key);
    const routingId = `client-${this.session}`;
    this.shell = new zmq.Dealer({ routingId, linger: 0 });
    this.stdin = new zmq.Dealer({ routingId, linger: 0 });
    this.control = new zmq.Dealer({ linger: 0 });
    this.iopub = new zmq.Subscriber({ linger: 0 });
    this.iopub.subscribe();
    this.queues = { shell: new SendQueue(this.shell), control: new SendQueue(this.control), stdin: new SendQueue(this.stdin) };
  }

  /** Spawns `node kernel/dist/cli.js kernel <connection file>` and waits until it answers kernel_info. */
  static async start(options: StartOptions = {}): Promise<KernelClient> {
    const dir = mkdtempSync(join(tmpdir(), "mnist-lab-kernel-"));
    const [shell, control, iopub, stdin, hb] = await freePorts(5);
    const info: ConnectionInfo = {
      transport: "tcp", ip: "127.0.0.1", shell_port: shell, control_port: control, iopub_port: iopub,
      stdin_port: stdin, hb_port: hb, key: randomBytes(32).toString("hex"), signature_scheme: "hmac-sha256",
      kernel_name: "mnist-lab",
    };
    const file = join(dir, "connection.json");
    writeFileSync(file, JSON.stringify(info, null, 2), { mode: 0o600 });
    const child = spawn(process.execPath, [CLI, "kernel", file], {
      cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"],
    });
    const client = new KernelClient(info, child);
    client.tempDir = dir;
    child.stdout!.on("data", () => {});
    child.stderr!.setEncoding("utf8").on("data", (s: string) => { client.stderr = (client.stderr + s).slice(-64_000); });
    child.on("exit", (code, signal) => {
      client.exitError = new Error(`kernel exited (code ${code}, signal ${signal})${client.stderr ? `: ${client.stderr.trim()}` : ""}`);
      client.failPending(client.exitError);
    });
    try {
      await client.open(options.startTimeoutMs ?? 30_000);
    } catch (e) {
      await client.close();
      throw e;
    }
    return client;
  }

  /** Connects to a kernel that is already running. */
  static async connect(info: ConnectionInfo, startTimeoutMs = 30_000): Promise<KernelClient> {
    const client = new KernelClient(info);
    await client.open(startTimeoutMs);
    return client;
  }

  private async open(timeoutMs: number): Promise<void> {
    const c = this.connection;
    this.shell.connect(endpoint(c, "shell"));
    this.control.connect(endpoint(c, "control"));
    this.stdin.connect(endpoint(c, "stdin"));
    this.iopub.connect(endpoint(c, "iopub"));
    void this.readReplies(this.shell);
    void this.readReplies(this.control);
    void this.readStdin();
    void this.readIopub();
    await this.waitForReady(timeoutMs);
  }

  /** kernel_info until both a reply and its iopub status arrive (iopub subscriptions take a moment). */
  private async waitForReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exitError) throw this.exitError;
      let sawIopub = false;
      const header = newHeader("kernel_info_request", this.session, "client");
      this.iopubListeners.set(header.msg_id, () => { sawIopub = true; });
      try {
        await this.send("shell", header, {}, Math.min(2000, deadline - Date.now()));
        const until = Date.now() + 300;
        while (!sawIopub && Date.now() < until) await sleep(10);
        if (sawIopub) return;
      } catch (e) {
        if (this.exitError) throw this.exitError;
      } finally {
        this.iopubListeners.delete(header.msg_id);
      }
    }
    throw new Error(`kernel did not answer kernel_info_request within ${timeoutMs} ms${this.stderr ? `: ${this.stderr.trim()}` : ""}`);
  }

  private async readReplies(socket: zmq.Dealer): Promise<void> {
    try {
      for await (const frames of socket) {
        const msg = this.decodeOrLog(frames);
        const id = msg?.parent_header.msg_id;
        if (!msg || !id) continue;
        const pending = this.replies.get(id);
        if (pending) {
          this.replies.delete(id);
          pending.resolve(msg);
        }
      }
    } catch (e) {
      if (!this.closed) this.failPending(e as Error);
    }
  }

  private async readIopub(): Promise<void> {
    try {
      for await (const frames of this.iopub) {
        const msg = this.decodeOrLog(frames);
        const id = msg?.parent_header.msg_id;
        if (msg && id) this.iopubListeners.get(id)?.(msg);
      }
    } catch {
      /* closed */
    }
  }

  private async readStdin(): Promise<void> {
    try {
      for await (const frames of this.stdin) {
        const msg = this.decodeOrLog(frames);
        const id = msg?.parent_header.msg_id;
        if (msg && id) this.inputHandlers.get(id)?.(msg);
      }
    } catch {
      /* closed */
    }
  }

  private decodeOrLog(frames: Buffer[]): JupyterMessage | undefined {
    const decoded = decode(frames, this.signer);
    if (decoded.ok) return decoded.msg;
    console.error(`mnist-lab client: dropped a message from the kernel: ${decoded.reason}`);
    return undefined;
  }

  private failPending(error: Error): void {
    for (const pending of this.replies.values()) pending.reject(error);
    this.replies.clear();
  }

  /** Sends a request and resolves with its reply. */
  private send(channel: "shell" | "control", header: ReturnType<typeof newHeader>, content: object, timeoutMs?: number): Promise<JupyterMessage> {
    if (this.exitError) return Promise.reject(this.exitError);
    return new Promise<JupyterMessage>((resolvePromise, reject) => {
      let timer: NodeJS.Timeout | undefined;
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.replies.delete(header.msg_id);
          reject(new Error(`no ${header.msg_type.replace("_request", "_reply")} within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.replies.set(header.msg_id, {
        resolve: (m) => { clearTimeout(timer); resolvePromise(m); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      const frames = encode({ identities: [], header, parent_header: {}, metadata: {}, content, buffers: [] }, this.signer);
      void this.queues[channel].send(frames);
    });
  }

  /** Sends any request and resolves with the reply on the same channel. */
  request(channel: "shell" | "control", msgType: string, content: object): Promise<JupyterMessage> {
    return this.send(channel, newHeader(msgType, this.session, "client"), content);
  }

  /** Sends a message that gets no reply (comm_open, comm_msg, comm_close); returns its msg_id. */
  notify(channel: "shell" | "control", msgType: string, content: object): string {
    const header = newHeader(msgType, this.session, "client");
    void this.queues[channel].send(encode({ identities: [], header, parent_header: {}, metadata: {}, content, buffers: [] }, this.signer));
    return header.msg_id;
  }

  /** Runs code; resolves when both execute_reply and the matching idle status have arrived. */
  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const header = newHeader("execute_request", this.session, "client");
    const collector = new OutputCollector();
    let idle!: () => void;
    const sawIdle = new Promise<void>((r) => (idle = r));
    this.iopubListeners.set(header.msg_id, (msg) => {
      options.onIopub?.(msg);
      if (msg.header.msg_type === "status" && msg.content.execution_state === "idle") idle();
      else collector.add(msg);
    });
    if (options.onInput) {
      const onInput = options.onInput;
      this.inputHandlers.set(header.msg_id, async (msg) => {
        if (msg.header.msg_type !== "input_request") return;
        let value = "";
        try {
          value = await onInput(String(msg.content.prompt ?? ""), Boolean(msg.content.password));
        } catch {
          /* an answer must still be sent or the kernel waits forever */
        }
        const reply = newHeader("input_reply", this.session, "client");
        void this.queues.stdin.send(encode({ identities: [], header: reply, parent_header: msg.header, metadata: {}, content: { value }, buffers: [] }, this.signer));
      });
    }
    const onAbort = () => void this.interrupt().catch(() => {});
    options.signal?.addEventListener("abort", onAbort);
    try {
      const reply = await this.send("shell", header, {
        code,
        silent: options.silent ?? false,
        store_history: options.storeHistory ?? !(options.silent ?? false),
        user_expressions: options.userExpressions ?? {},
        allow_stdin: options.allowStdin ?? options.onInput !== undefined,
        stop_on_error: options.stopOnError ?? true,
      });
      await waitAtMost(sawIdle, IDLE_AFTER_REPLY_MS);
      const count = reply.content.execution_count;
      return { reply, outputs: collector.outputs, executionCount: typeof count === "number" ? count : null };
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      this.iopubListeners.delete(header.msg_id);
      this.inputHandlers.delete(header.msg_id);
    }
  }

  /** interrupt_request on the control channel. */
  async interrupt(): Promise<void> {
    await this.request("control", "interrupt_request", {});
  }

  /** shutdown_request on control; without restart the spawned process is awaited. */
  async shutdown(restart = false): Promise<void> {
    await this.request("control", "shutdown_request", { restart });
    const child = this.process;
    if (!restart && child && child.exitCode === null) {
      let onExit!: () => void;
      const exited = new Promise<void>((r) => child.once("exit", (onExit = () => r())));
      try {
        await waitAtMost(exited, EXIT_AFTER_SHUTDOWN_MS);
      } finally {
        child.off("exit", onExit);
      }
    }
  }

  /** Closes the sockets and kills the kernel process if this client spawned it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failPending(new Error("client closed"));
    for (const s of [this.shell, this.control, this.stdin, this.iopub]) s.close();
    const child = this.process;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
    }
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Waits for `promise`, but at most `ms`. The timer is cleared when the wait ends and never holds
 * the process open on its own: a script that closes its client exits at once.
 */
async function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((r) => { timer = setTimeout(r, ms).unref(); });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
