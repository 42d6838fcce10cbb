/**
 * The kernel: reads requests, answers each through one dispatch table (msg_type → handler
 * method of the same name; handlers return reply content), publishes busy/idle around
 * every request, and runs cells one after another.
 */
import { setTimeout as delay } from "node:timers/promises";
import { setImmediate, setTimeout } from "node:timers";
import { dirname } from "node:path";
import { mkdirSync } from "node:fs";
import type * as zmq from "zeromq";
import { createSigner, decode, readConnectionFile, type JupyterMessage, type Signer } from "../wire/index.js";
import { CellCompiler } from "../cells/compiler.js";
import { CellRunner } from "../cells/executor.js";
import { diagnosticsError, interruptedError, runtimeError, type ErrorContent } from "../cells/errors.js";
import { formatResult, plainText } from "../display/format.js";
import { installBuiltins, isDisplayHandle } from "../display/builtins.js";
import { bindSockets, type KernelSockets } from "./sockets.js";
import { Messenger, type OutChannel } from "./messenger.js";
import { StreamBatcher, kernelLog } from "./streams.js";
import { Execution, currentExecution, installTimerTracking, runInExecution } from "./execution-context.js";
import { History } from "./history.js";
import { kernelInfo } from "./kernel-info.js";
import { completeReply, inspectReply, isCompleteReply, pagerPayload, pagerRequest } from "./introspection.js";

type Content = Record<string, any>;
/** A handler returns the reply content, or undefined for messages that get no reply (comms). */
type Handler = (msg: JupyterMessage) => Promise<Content | undefined> | Content | undefined;

export class Kernel {
  /** The whole protocol on one screen. */
  private readonly handlers: Record<string, Handler> = {
    kernel_info_request: () => kernelInfo(),
    execute_request: (m) => this.execute_request(m),
    complete_request: (m) => completeReply(this.compiler, m.content),
    inspect_request: (m) => inspectReply(this.compiler, m.content),
    is_complete_request: (m) => isCompleteReply(this.compiler, m.content),
    history_request: (m) => this.history.reply(m.content),
    comm_info_request: () => ({ status: "ok", comms: {} }),
    comm_open: (m) => this.comm_open(m),
    comm_msg: () => undefined,
    comm_close: () => undefined,
    interrupt_request: () => ({ status: "ok" }), // the control thread has already raised SIGINT
    shutdown_request: (m) => this.shutdown_request(m),
  };

  private readonly messenger: Messenger;
  private readonly streams: StreamBatcher;
  private readonly runner = new CellRunner(process.cwd());
  private readonly history = new History(historyFile());
  private executionCount = 0;
  private running?: Execution;
  private readonly shellQueue: JupyterMessage[] = [];
  private processing = false;
  /** execute_requests received before a failed cell finished, answered `aborted` (stop_on_error). */
  private readonly toAbort = new Set<string>();
  private readonly inputWaiters = new Map<string, (value: string) => void>();

  private constructor(
    private readonly sockets: KernelSockets,
    private readonly signer: Signer,
    session: string,
    private readonly compiler: CellCompiler,
  ) {
    const send = (q: { send(f: Buffer[]): unknown }) => (frames: Buffer[]) => void q.send(frames);
    this.messenger = new Messenger(signer, session, {
      shell: send(sockets.send.shell),
      stdin: send(sockets.send.stdin),
      iopub: send(sockets.send.iopub),
      control: (frames) => sockets.control.postMessage(frames),
    });
    this.streams = new StreamBatcher((parent, name, text) => this.messenger.send("iopub", "stream", { name, text }, parent));
  }

  static async start(connectionFile: string): Promise<Kernel> {
    const info = readConnectionFile(connectionFile);
    const signer = createSigner(info.signature_scheme, info.key); // throws on an unknown scheme
    // The first cell waits for the converter to load (most of a second): start it before binding.
    const compiler = new CellCompiler();
    const sockets = await bindSockets(info).catch(async (e) => {
      await compiler.close();
      throw e;
    });
    const kernel = new Kernel(sockets, signer, crypto.randomUUID(), compiler);
    kernel.installProcessHooks();
    void kernel.readShell(sockets.shell);
    void kernel.readStdin(sockets.stdin);
    sockets.control.on("message", (m: { frames?: Uint8Array[] }) => {
      if (m.frames) void kernel.onControl(m.frames.map((f) => Buffer.from(f)));
    });
    kernel.messenger.send("iopub", "status", { execution_state: "starting" });
    return kernel;
  }

  private installProcessHooks(): void {
    installTimerTracking();
    this.streams.captureProcessStreams();
    installBuiltins({
      display: (bundle, options) => this.display(bundle, options),
      clearOutput: (wait) => {
        const e = currentExecution();
        if (e && !e.silent) this.streams.flush(), this.messenger.send("iopub", "clear_output", { wait }, e.parent);
      },
      input: (prompt, password) => this.input(prompt, password),
      signal: () => (currentExecution() ?? this.running)?.abort.signal ?? new AbortController().signal,
    });
    process.on("SIGINT", () => this.running?.interrupt());
    const report = (what: string) => (error: unknown) => {
      const e = runtimeError(error);
      this.streams.write("stderr", `${what}: ${e.traceback.join("\n")}\n`);
    };
    process.on("unhandledRejection", report("Unhandled promise rejection"));
    process.on("uncaughtException", report("Uncaught exception"));
  }

  private display(bundle: Record<string, unknown>, options: { id?: string; update?: boolean; metadata?: Record<string, unknown> }): void {
    const e = currentExecution();
    if (!e || e.silent) return;
    this.streams.flush();
    const content: Content = { data: bundle, metadata: options.metadata ?? {}, transient: options.id ? { display_id: options.id } : {} };
    this.messenger.send("iopub", options.update ? "update_display_data" : "display_data", content, e.parent);
  }

  private input(prompt: string, password: boolean): Promise<string> {
    const e = currentExecution();
    if (!e?.allowStdin) return Promise.reject(new Error("input() is not available: this frontend does not allow stdin"));
    this.streams.flush();
    const header = this.messenger.send("stdin", "input_request", { prompt, password }, e.parent);
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => { this.inputWaiters.delete(header.msg_id); reject(e.abort.signal.reason); };
      e.abort.signal.addEventListener("abort", onAbort, { once: true });
      this.inputWaiters.set(header.msg_id, (value) => {
        e.abort.signal.removeEventListener("abort", onAbort);
        resolve(value);
      });
    });
  }

  // ---- reading the channels -------------------------------------------------------------

  private decodeOrLog(frames: Buffer[], channel: string): JupyterMessage | undefined {
    const decoded = decode(frames, this.signer);
    if (decoded.ok) return { ...decoded.msg, channel };
    kernelLog(`dropped a message on ${channel}: ${decoded.reason}`);
    return undefined;
  }

  private async readShell(socket: zmq.Router): Promise<void> {
    for await (const frames of socket) {
      const msg = this.decodeOrLog(frames, "shell");
      if (!msg) continue;
      this.shellQueue.push(msg);
      if (!this.processing) void this.processShell();
    }
  }

  private async processShell(): Promise<void> {
    this.processing = true;
    try {
      for (let msg; (msg = this.shellQueue.shift()); ) await this.handle(msg, "shell");
    } finally {
      this.processing = false;
    }
  }

  private async readStdin(socket: zmq.Router): Promise<void> {
    for await (const frames of socket) {
      const msg = this.decodeOrLog(frames, "stdin");
      if (msg?.header.msg_type !== "input_reply") continue;
      // jupyter_client sends input_reply without a parent header: then it answers the oldest prompt
      const id = this.inputWaiters.has(msg.parent_header.msg_id ?? "") ? msg.parent_header.msg_id! : this.inputWaiters.keys().next().value;
      if (id === undefined) continue;
      const waiter = this.inputWaiters.get(id);
      this.inputWaiters.delete(id);
      waiter?.(String(msg.content.value ?? ""));
    }
  }

  private async onControl(frames: Buffer[]): Promise<void> {
    const msg = this.decodeOrLog(frames, "control");
    if (msg) await this.handle(msg, "control");
  }

  /** Busy, the handler, its reply, idle. Never throws: a failing handler gets an error reply. */
  private async handle(msg: JupyterMessage, channel: OutChannel): Promise<void> {
    const type = msg.header.msg_type;
    const handler = Object.hasOwn(this.handlers, type) ? this.handlers[type] : undefined;
    if (!handler) return kernelLog(`ignored unknown message type ${JSON.stringify(type)} on ${channel}`);
    this.messenger.send("iopub", "status", { execution_state: "busy" }, msg);
    let content: Content | undefined;
    try {
      content = this.toAbort.delete(msg.header.msg_id) ? { status: "aborted", execution_count: this.executionCount } : await handler(msg);
    } catch (error) {
      kernelLog(`${type} failed: ${(error as Error)?.stack ?? error}`);
      content = { status: "error", ...runtimeError(error) };
    }
    this.streams.flush();
    if (content) this.messenger.send(channel, type.replace(/_request$/, "_reply"), content, msg);
    this.messenger.send("iopub", "status", { execution_state: "idle" }, msg);
  }

  // ---- handlers ---------------------------------------------------------------------------

  private async execute_request(msg: JupyterMessage): Promise<Content> {
    const c = msg.content as Content;
    const code = String(c.code ?? "");
    const silent = Boolean(c.silent);
    const storeHistory = !silent && c.store_history !== false;
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    if (!silent) this.messenger.send("iopub", "execute_input", { code, execution_count: count }, msg);
    const execution = new Execution(msg, Boolean(c.allow_stdin), silent);
    this.running = execution;
    let result: { error?: ErrorContent; payload?: Content[]; output?: string };
    try {
      result = await runInExecution(execution, () => this.runCell(code, `Cell In[${count}]`, execution));
    } finally {
      this.running = undefined;
    }
    if (storeHistory) this.history.add(count, code, result.output);
    if (result.error) {
      this.streams.flush(); // what the cell printed comes before its error
      if (!silent) this.messenger.send("iopub", "error", result.error, msg);
      if (c.stop_on_error !== false) await this.abortQueuedExecutions();
      return { status: "error", execution_count: count, ...result.error };
    }
    const userExpressions = await this.evaluateUserExpressions(c.user_expressions, msg);
    return { status: "ok", execution_count: count, payload: result.payload ?? [], user_expressions: userExpressions };
  }

  /** Compiles and runs one cell; publishes its result. */
  private async runCell(code: string, label: string, execution: Execution): Promise<{ error?: ErrorContent; payload?: Content[]; output?: string }> {
    await this.compiler.ready;
    const page = pagerRequest(code);
    if (page) return { payload: await pagerPayload(this.compiler, page) };
    const compiled = await this.compiler.compile(code);
    if (!compiled.ok) return { error: diagnosticsError(compiled.diagnostics, code, label) };
    if (execution.interrupted) return { error: interruptedError() }; // interrupted while compiling
    const outcome = await this.runner.run(compiled.cell, code, label, execution.abort.signal);
    await this.compiler.commit(compiled.cell.declarations);
    // One turn of the event loop while this cell is still the running one: Node reports promises
    // the cell rejected without a handler only then, and that report belongs to the cell's output.
    await new Promise((resolve) => setImmediate(resolve));
    if (outcome.status === "error") {
      if (outcome.interrupted) execution.interrupt();
      return { error: outcome.interrupted ? interruptedError() : runtimeError(outcome.error) };
    }
    if (!outcome.hasValue || isDisplayHandle(outcome.value)) return {};
    const formatted = formatResult(outcome.value);
    this.streams.flush();
    if (!execution.silent) {
      this.messenger.send("iopub", "execute_result", { execution_count: this.executionCount, ...formatted }, execution.parent);
    }
    return { output: String(formatted.data["text/plain"]) };
  }

  private async evaluateUserExpressions(expressions: unknown, parent: JupyterMessage): Promise<Content> {
    const out: Content = {};
    if (typeof expressions !== "object" || expressions === null) return out;
    for (const [name, expr] of Object.entries(expressions)) {
      const execution = new Execution(parent, false, true);
      const compiled = await this.compiler.compile(String(expr));
      if (!compiled.ok) {
        out[name] = { status: "error", ...diagnosticsError(compiled.diagnostics, String(expr), name) };
        continue;
      }
      const r = await runInExecution(execution, () => this.runner.run(compiled.cell, String(expr), name, execution.abort.signal));
      out[name] = r.status === "ok"
        ? { status: "ok", data: { "text/plain": r.hasValue ? plainText(r.value) : "undefined" }, metadata: {} }
        : { status: "error", ...runtimeError(r.error) };
    }
    return out;
  }

  /** After a failed cell, requests that were already waiting are answered `aborted`. */
  private async abortQueuedExecutions(): Promise<void> {
    await delay(5); // let requests sent before the failure arrive from the socket
    for (const m of this.shellQueue) if (m.header.msg_type === "execute_request") this.toAbort.add(m.header.msg_id);
  }

  private comm_open(msg: JupyterMessage): undefined {
    // No comm targets are registered: close it, as ipykernel does for an unknown target.
    this.messenger.send("iopub", "comm_close", { comm_id: msg.content.comm_id, data: {} }, msg);
    return undefined;
  }

  private shutdown_request(msg: JupyterMessage): Content {
    const restart = Boolean(msg.content.restart);
    this.messenger.send("iopub", "shutdown_reply", { status: "ok", restart }, msg);
    // Reply first (the dispatcher sends it), then leave; a restart is the kernel manager's job.
    setTimeout(() => this.exit(), 100).unref?.();
    return { status: "ok", restart };
  }

  private exit(): void {
    this.streams.flush();
    void this.compiler.close();
    // give the last messages a moment on the wire, then close everything and leave
    setTimeout(() => void this.sockets.close().finally(() => process.exit(0)), 50);
  }
}

/** History stays in memory unless MNIST_LAB_HISTORY_FILE names a JSON-lines file to keep it in. */
function historyFile(): string | undefined {
  const file = process.env.MNIST_LAB_HISTORY_FILE;
  if (!file) return undefined;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    return file;
  } catch {
    return undefined;
  }
}
