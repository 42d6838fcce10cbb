// The KernelClient as scripts use it (the notebook runner, user scripts): once closed, it lets the process exit.
import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { resolve } from "node:path";

// A plain Node script, as a user would write it, using the built client.
const CLIENT = resolve(__dirname, "../../kernel/dist/client/index.js");
const script = (shutdownFirst: boolean) => `
const { KernelClient } = require(${JSON.stringify(CLIENT)});
(async () => {
  const kc = await KernelClient.start();
  const r = await kc.execute("1+1");
  if (r.reply.content.status !== "ok") throw new Error("execute failed");
  ${shutdownFirst ? "await kc.shutdown();" : ""}
  await kc.close();
  console.log("closed");
})().catch((e) => { console.error(e); process.exit(2); });
`;

/** Runs the script; resolves with its exit code and the milliseconds between `closed` and exit. */
function timeExitAfterClose(source: string): Promise<{ code: number | null; afterCloseMs: number; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["-e", source], { stdio: ["ignore", "pipe", "pipe"] });
    let closedAt: number | undefined;
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => { if (s.includes("closed")) closedAt ??= Date.now(); });
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", fail);
    child.on("exit", (code) => done({ code, afterCloseMs: closedAt === undefined ? NaN : Date.now() - closedAt, stderr }));
  });
}

describe("KernelClient in a script", () => {
  // The client used to race replies against 5 s timers it never cleared: the script lingered ~5 s.
  it.each([
    ["execute, close", false],
    ["execute, shutdown, close", true],
  ])("lets the process exit right after close (%s)", async (_label, shutdownFirst) => {
    const { code, afterCloseMs, stderr } = await timeExitAfterClose(script(shutdownFirst));
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(afterCloseMs).toBeLessThan(3000);
  });
});
