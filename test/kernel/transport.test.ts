// The ipc transport: the kernel binds unix sockets named <ip>-<port>, as jupyter_client does.
import { expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { CLI } from "./kernelspec.js";
import { KernelClient, result } from "./support.js";

it("serves over ipc", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ipc-"));
  const info = {
    transport: "ipc" as const, ip: join(dir, "kernel"), shell_port: 1, control_port: 2, iopub_port: 3, stdin_port: 4, hb_port: 5,
    key: randomBytes(16).toString("hex"), signature_scheme: "hmac-sha256",
  };
  const file = join(dir, "conn.json");
  writeFileSync(file, JSON.stringify(info), { mode: 0o600 });
  const child = spawn(process.execPath, [CLI, "kernel", file], { stdio: "ignore" });
  try {
    const kc = await KernelClient.connect(info);
    expect(result((await kc.execute("21 * 2")).outputs)).toBe("42");
    await kc.shutdown(false);
    await kc.close();
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
    expect(child.exitCode).toBe(0);
  } finally {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});
