// Shutdown and restart on the control channel, and very large output.
import { describe, expect, it } from "vitest";
import type { JupyterMessage } from "../../kernel/src/wire/index.js";
import { KernelClient, text } from "./support.js";

describe("shutdown_request", () => {
  it.each([false, true])("replies with restart=%s on control, then exits cleanly", async (restart) => {
    const kc = await KernelClient.start();
    try {
      const reply = await kc.request("control", "shutdown_request", { restart });
      expect(reply.content).toEqual({ status: "ok", restart });
      await new Promise((r) => (kc.process!.exitCode !== null ? r(null) : kc.process!.once("exit", r)));
      expect(kc.process!.exitCode).toBe(0);
    } finally {
      await kc.close();
    }
  });
  // restart through jupyter_client's KernelManager: jupyter_kernel_test_suite.py, KernelManagerTests
});

describe("huge output", () => {
  it("batches 100k quick console lines into a few stream messages, losing none", async () => {
    const kc = await KernelClient.start();
    try {
      let streams = 0;
      const started = Date.now();
      const r = await kc.execute("for (let i = 0; i < 100_000; i++) console.log(`line ${i}`);", {
        onIopub: (m: JupyterMessage) => void (m.header.msg_type === "stream" && streams++),
      });
      const elapsed = Date.now() - started;
      const lines = text(r.outputs).split("\n");
      expect(lines).toHaveLength(100_001);
      expect(lines[99_999]).toBe("line 99999");
      expect(streams).toBeLessThan(20);
      expect(elapsed).toBeLessThan(30_000); // generous: a stall would be minutes
      // output of an async loop arrives in batches too, while it runs
      let asyncStreams = 0;
      await kc.execute("for (let i = 0; i < 20; i++) { console.log(i); await new Promise((r) => setTimeout(r, 5)); }", {
        onIopub: (m: JupyterMessage) => void (m.header.msg_type === "stream" && asyncStreams++),
      });
      expect(asyncStreams).toBeGreaterThan(1);
      expect(asyncStreams).toBeLessThan(20);
    } finally {
      await kc.close();
    }
  });
});
