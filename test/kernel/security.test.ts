// Signatures and malformed traffic: dropped, logged on stderr, never executed, never fatal.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as zmq from "zeromq";
import { createSigner, encode, endpoint, newHeader } from "../../kernel/src/wire/index.js";
import { KernelClient, eventually, result, sleep } from "./support.js";

let kc: KernelClient;
let rogue: zmq.Dealer;
beforeAll(async () => {
  kc = await KernelClient.start();
  rogue = new zmq.Dealer({ linger: 0 });
  rogue.connect(endpoint(kc.connection, "shell"));
});
afterAll(async () => {
  rogue?.close();
  await kc?.close();
});

function executeFrames(code: string, key: string): Buffer[] {
  const header = newHeader("execute_request", "rogue");
  const content = { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true };
  return encode({ identities: [], header, parent_header: {}, metadata: {}, content, buffers: [] }, createSigner("hmac-sha256", key));
}

describe("signatures", () => {
  it("drops and logs messages with a wrong or a missing signature, without executing them", async () => {
    await rogue.send(executeFrames("globalThis.pwned = 1", "wrong-key"));
    await rogue.send(executeFrames("globalThis.pwned = 2", ""));
    await eventually(() => /invalid signature/.test(kc.stderr) && /missing signature/.test(kc.stderr), "the kernel's log");
    expect(kc.stderr).toMatch(/dropped a message on shell: invalid signature/);
    expect(result((await kc.execute("typeof (globalThis as any).pwned")).outputs)).toBe("'undefined'");
  });

  it("survives malformed frames and JSON", async () => {
    await rogue.send([Buffer.from("garbage")]);
    await rogue.send([Buffer.from("<IDS|MSG>"), Buffer.from("sig")]);
    const signer = createSigner("hmac-sha256", kc.connection.key);
    const parts = [Buffer.from("{broken"), Buffer.from("{}"), Buffer.from("{}"), Buffer.from("{}")];
    await rogue.send([Buffer.from("<IDS|MSG>"), Buffer.from(signer.sign(parts)), ...parts]);
    await eventually(() => /malformed JSON/.test(kc.stderr), "the malformed JSON log line");
    await sleep(50);
    expect(result((await kc.execute("'still here'")).outputs)).toBe("'still here'");
    expect(kc.process!.exitCode).toBeNull();
  });

  it("also checks signatures on the control channel", async () => {
    const control = new zmq.Dealer({ linger: 0 });
    control.connect(endpoint(kc.connection, "control"));
    const header = newHeader("shutdown_request", "rogue");
    await control.send(encode({ identities: [], header, parent_header: {}, metadata: {}, content: { restart: false }, buffers: [] }, createSigner("hmac-sha256", "nope")));
    await eventually(() => /dropped a message on control: invalid signature/.test(kc.stderr), "the control log line");
    control.close();
    expect(result((await kc.execute("1 + 1")).outputs)).toBe("2");
  });
});

describe("start-up", () => {
  it("stops with a clear error on an unknown signature_scheme", () => {
    const dir = mkdtempSync(join(tmpdir(), "scheme-"));
    const file = join(dir, "conn.json");
    writeFileSync(file, JSON.stringify({ ip: "127.0.0.1", transport: "tcp", shell_port: 1, control_port: 2, iopub_port: 3, stdin_port: 4, hb_port: 5, key: "k", signature_scheme: "hmac-md5" }));
    const r = spawnSync(process.execPath, [resolve(__dirname, "../../kernel/dist/cli.js"), "kernel", file], { encoding: "utf8", timeout: 20_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/unsupported signature_scheme "hmac-md5"/);
  });
});
