// Interrupting a busy kernel: a blocked event loop, a promise that never settles, a long async loop;
// by interrupt_request (control channel) and by SIGINT; the heartbeat keeps answering meanwhile.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as zmq from "zeromq";
import { endpoint } from "../../kernel/src/wire/index.js";
import { KernelClient, errorOf, eventually, result, sleep } from "./support.js";

let kc: KernelClient;
beforeAll(async () => {
  kc = await KernelClient.start();
  await kc.execute("const before = 'kept'; let ticks = 0;");
});
afterAll(async () => {
  await kc?.close();
});

const stuck = {
  "a blocked event loop": "while (true) {}",
  "a never-settling promise": "await new Promise(() => {});",
  "a long async loop": "for (;;) { ticks++; await new Promise((r) => setTimeout(r, 5)); }",
};

async function interruptAfter(code: string, how: "message" | "signal") {
  let started = false;
  const running = kc.execute(code, { onIopub: (m) => void (m.header.msg_type === "execute_input" && (started = true)) });
  await eventually(() => started, "the cell to start");
  await sleep(300); // compiled and running by now
  if (how === "message") await kc.interrupt();
  else kc.process!.kill("SIGINT");
  return running;
}

describe.each(["message", "signal"] as const)("interrupt by %s", (how) => {
  it.each(Object.entries(stuck))("stops %s; variables survive; the next cell runs", async (_name, code) => {
    const r = await interruptAfter(code, how);
    expect(r.reply.content.status).toBe("error");
    expect(errorOf(r.outputs)?.ename).toBe("Interrupted");
    expect(result((await kc.execute("before")).outputs)).toBe("'kept'");
  });
});

it("really stops the async loop (it does not keep running in the background)", async () => {
  await interruptAfter(stuck["a long async loop"], "message");
  const first = Number(result((await kc.execute("ticks")).outputs));
  await sleep(200);
  expect(Number(result((await kc.execute("ticks")).outputs))).toBe(first);
});

it("aborts the execution's AbortSignal", async () => {
  const r = await interruptAfter(
    'const signal = (globalThis as any)[Symbol.for("mnist-lab.kernel")].signal as AbortSignal;\nawait new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("saw abort"))));',
    "message",
  );
  expect(r.reply.content.status).toBe("error");
  expect(result((await kc.execute("signal.aborted")).outputs)).toBe("true");
});

describe("heartbeat", () => {
  it("answers while a cell blocks the event loop", async () => {
    const hb = new zmq.Request({ linger: 0, receiveTimeout: 2000 });
    hb.connect(endpoint(kc.connection, "hb"));
    const running = kc.execute("const until = Date.now() + 1500; while (Date.now() < until) {}");
    await sleep(300);
    await hb.send("ping");
    const [pong] = await hb.receive();
    expect(pong.toString()).toBe("ping");
    hb.close();
    await running;
  });
});
