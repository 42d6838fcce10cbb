// Every request type against the real kernel process over zeromq.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JupyterMessage } from "../../kernel/src/wire/index.js";
import { KernelClient, errorOf, result, text } from "./support.js";

let kc: KernelClient;
beforeAll(async () => {
  kc = await KernelClient.start();
});
afterAll(async () => {
  await kc?.close();
});

describe("kernel_info_request", () => {
  it("describes a TypeScript kernel speaking protocol 5.3", async () => {
    const { content } = await kc.request("shell", "kernel_info_request", {});
    expect(content).toMatchObject({
      status: "ok", protocol_version: "5.3", implementation: "mnist-lab",
      language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript", pygments_lexer: "typescript" },
    });
    expect(content.language_info.version).toBe(require("@tslab/typescript-for-tslab/package.json").version);
    expect(content.help_links.length).toBeGreaterThan(0);
    expect(content.banner).toMatch(/TypeScript/);
  });

  it("is answered on control too", async () => {
    expect((await kc.request("control", "kernel_info_request", {})).content.status).toBe("ok");
  });
});

describe("execute_request", () => {
  it("publishes busy, execute_input, stream, execute_result, idle in order", async () => {
    const seen: string[] = [];
    const r = await kc.execute('console.log("out"); process.stderr.write("err\\n"); 6 * 7', { onIopub: (m: JupyterMessage) => seen.push(m.header.msg_type) });
    expect(seen[0]).toBe("status");
    expect(seen[1]).toBe("execute_input");
    expect(seen).toContain("stream");
    expect(seen.indexOf("execute_result")).toBeGreaterThan(seen.indexOf("stream"));
    expect(seen[seen.length - 1]).toBe("status");
    expect(text(r.outputs)).toBe("out\n");
    expect(text(r.outputs, "stderr")).toBe("err\n");
    expect(result(r.outputs)).toBe("42");
  });

  it("shows results with util.inspect and without ANSI colours, plus the value's own bundle", async () => {
    const r = await kc.execute('({ a: "x", n: [1, 2], [Symbol.for("Jupyter.display")]() { return { "text/html": "<i>me</i>" }; } })');
    const data = (r.outputs[0] as { data: Record<string, string> }).data;
    expect(data["text/plain"]).toContain("a: 'x'");
    expect(data["text/plain"]).not.toMatch(/\u001b\[/);
    expect(data["text/html"]).toBe("<i>me</i>");
    const colours = await kc.execute('console.log({ s: "str", n: 1 })');
    expect(text(colours.outputs)).not.toMatch(/\u001b\[/);
  });

  it("counts executions like IPython: store_history and silent do not advance the count", async () => {
    const a = await kc.execute("1");
    const b = await kc.execute("2", { storeHistory: false });
    const c = await kc.execute("3", { silent: true });
    const d = await kc.execute("4");
    expect(b.executionCount).toBe(a.executionCount);
    expect(c.executionCount).toBe(a.executionCount);
    expect(c.outputs).toEqual([]);
    expect(d.executionCount).toBe(a.executionCount! + 1);
  });

  it("evaluates user_expressions", async () => {
    const r = await kc.execute("const ue = 20", { userExpressions: { double: "ue * 2", bad: "nope.x" } });
    expect(r.reply.content.user_expressions.double).toEqual({ status: "ok", data: { "text/plain": "40" }, metadata: {} });
    expect(r.reply.content.user_expressions.bad.status).toBe("error");
  });

  it("answers queued requests `aborted` after an error when stop_on_error", async () => {
    const failing = kc.execute('await new Promise(r => setTimeout(r, 300)); throw new Error("first")');
    const queued = kc.execute('"should not run"');
    const [f, q] = await Promise.all([failing, queued]);
    expect(f.reply.content.status).toBe("error");
    expect(q.reply.content.status).toBe("aborted");
    expect(q.outputs).toEqual([]);
    const after = await kc.execute('"runs again"');
    expect(result(after.outputs)).toBe("'runs again'");
  });

  it("keeps running queued requests after an error when stop_on_error is false", async () => {
    const failing = kc.execute('await new Promise(r => setTimeout(r, 200)); throw new Error("x")', { stopOnError: false });
    const queued = kc.execute('"still runs"');
    const [, q] = await Promise.all([failing, queued]);
    expect(q.reply.content.status).toBe("ok");
  });

  it("shows display_data, updates it in place by display_id, and clears output with wait", async () => {
    const seen: JupyterMessage[] = [];
    const r = await kc.execute(
      'const h = display.markdown("step 1"); h.update("step 2"); display({ "text/html": "<p>x</p>" }); display.png(new Uint8Array([137, 80]));',
      { onIopub: (m) => seen.push(m) },
    );
    const updates = seen.filter((m) => m.header.msg_type === "update_display_data");
    expect(updates).toHaveLength(1);
    expect(updates[0].content.transient.display_id).toBe(seen.find((m) => m.header.msg_type === "display_data")!.content.transient.display_id);
    expect(r.outputs.map((o) => o.output_type)).toEqual(["display_data", "display_data", "display_data"]);
    expect((r.outputs[0] as { data: Record<string, unknown> }).data["text/markdown"]).toBe("step 2");
    expect((r.outputs[2] as { data: Record<string, unknown> }).data["image/png"]).toBe(Buffer.from([137, 80]).toString("base64"));
    const cleared = await kc.execute('console.log("old"); clearOutput({ wait: true }); console.log("new")');
    expect(text(cleared.outputs)).toBe("new\n");
  });

  it("offers the host object with display, clearOutput and a per-execution AbortSignal", async () => {
    const r = await kc.execute(
      'const host = (globalThis as any)[Symbol.for("mnist-lab.kernel")]; host.display({ "text/plain": "via host" }, { id: "h1" }); host.signal instanceof AbortSignal && !host.signal.aborted',
    );
    expect(r.outputs[0]).toMatchObject({ output_type: "display_data", data: { "text/plain": "via host" } });
    expect(result(r.outputs)).toBe("true");
  });
});

describe("introspection", () => {
  it("completes TypeScript members with code-point cursor positions", async () => {
    const r = await kc.request("shell", "complete_request", { code: "const é = 1; Math.ma", cursor_pos: 20 });
    expect(r.content).toMatchObject({ status: "ok", matches: ["max"], cursor_start: 18, cursor_end: 20 });
  });

  it("completes members of the mnist-lab library", async () => {
    const code = 'import * as lab from "mnist-lab";\nlab.showUp';
    const r = await kc.request("shell", "complete_request", { code, cursor_pos: code.length });
    expect(r.content.matches).toContain("showUpdatable");
  });

  it("inspects the type and doc comment under the cursor", async () => {
    const r = await kc.request("shell", "inspect_request", { code: "Math.max", cursor_pos: 6, detail_level: 0 });
    expect(r.content.found).toBe(true);
    expect(r.content.data["text/plain"]).toMatch(/max\(\.\.\.values: number\[\]\): number/);
    expect(r.content.data["text/plain"]).toMatch(/larger of a set/);
    const none = await kc.request("shell", "inspect_request", { code: "   ", cursor_pos: 1, detail_level: 0 });
    expect(none.content).toMatchObject({ status: "ok", found: false });
  });

  it("tells complete, incomplete (with indent) and invalid code apart", async () => {
    const status = async (code: string) => (await kc.request("shell", "is_complete_request", { code })).content;
    expect(await status("const a = 1")).toEqual({ status: "complete" });
    expect(await status("function f() {")).toEqual({ status: "incomplete", indent: "  " });
    expect(await status("const = 1")).toEqual({ status: "invalid" });
  });

  it("pages `expr?` like IPython", async () => {
    const r = await kc.execute("Math.max?");
    expect(r.reply.content.payload[0]).toMatchObject({ source: "page", data: { "text/plain": expect.stringMatching(/Math\.max/) } });
  });
});

describe("history_request", () => {
  it("answers tail, range and search with unique and n", async () => {
    await kc.execute("const hist1 = 'alpha'");
    await kc.execute("'alpha' + 1");
    await kc.execute("'alpha' + 1");
    const tail = (await kc.request("shell", "history_request", { hist_access_type: "tail", n: 2, output: false, raw: true })).content.history;
    expect(tail.map((h: unknown[]) => h[2])).toEqual(["'alpha' + 1", "'alpha' + 1"]);
    const [session, line] = tail[0];
    const range = (await kc.request("shell", "history_request", { hist_access_type: "range", session, start: line, stop: line + 1, output: true, raw: true })).content.history;
    expect(range).toEqual([[session, line, ["'alpha' + 1", "'alpha1'"]]]);
    const search = async (extra: object) =>
      (await kc.request("shell", "history_request", { hist_access_type: "search", pattern: "*alpha*", output: false, raw: true, ...extra })).content.history;
    expect(await search({})).toHaveLength(3);
    expect(await search({ unique: true })).toHaveLength(2);
    expect(await search({ n: 1 })).toHaveLength(1);
  });
});

describe("comms", () => {
  it("gives valid replies and survives comm traffic", async () => {
    expect((await kc.request("shell", "comm_info_request", {})).content).toEqual({ status: "ok", comms: {} });
    kc.notify("shell", "comm_open", { comm_id: "c1", target_name: "nothing", data: {} });
    kc.notify("shell", "comm_msg", { comm_id: "c1", data: { x: 1 } });
    kc.notify("shell", "comm_close", { comm_id: "c1", data: {} });
    kc.notify("shell", "no_such_request", {});
    const r = await kc.execute("'alive'");
    expect(result(r.outputs)).toBe("'alive'");
    expect(kc.stderr).toMatch(/ignored unknown message type "no_such_request"/);
  });
});
