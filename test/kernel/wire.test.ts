// The wire format on its own: signing, framing, and what happens to bad frames.
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSigner, decode, encode, newHeader, readConnectionFile, endpoint } from "../../kernel/src/wire/index.js";

const signer = createSigner("hmac-sha256", "secret");
const msg = () => ({ identities: [Buffer.from("peer")], header: newHeader("kernel_info_request", "s"), parent_header: {}, metadata: {}, content: { a: 1 }, buffers: [] });

describe("wire", () => {
  it("round-trips a signed message with identities", () => {
    const frames = encode(msg(), signer);
    expect(frames[1].toString()).toBe("<IDS|MSG>");
    const d = decode(frames, signer);
    expect(d.ok && d.msg.identities[0].toString()).toBe("peer");
    expect(d.ok && d.msg.content).toEqual({ a: 1 });
  });

  it("rejects a wrong, a missing and a tampered signature", () => {
    const frames = encode(msg(), createSigner("hmac-sha256", "other"));
    expect(decode(frames, signer)).toMatchObject({ ok: false, reason: "invalid signature" });
    const unsigned = encode(msg(), createSigner("hmac-sha256", ""));
    expect(decode(unsigned, signer)).toMatchObject({ ok: false, reason: "missing signature" });
    const tampered = encode(msg(), signer);
    tampered[5] = Buffer.from('{"a":2}');
    expect(decode(tampered, signer).ok).toBe(false);
  });

  it("never throws on malformed frames", () => {
    expect(decode([Buffer.from("junk")], signer)).toMatchObject({ ok: false });
    expect(decode([Buffer.from("<IDS|MSG>"), Buffer.from("x")], signer)).toMatchObject({ ok: false });
    const open = createSigner("hmac-sha256", "");
    const bad = [Buffer.from("<IDS|MSG>"), Buffer.from(""), Buffer.from("{not json"), Buffer.from("{}"), Buffer.from("{}"), Buffer.from("{}")];
    expect(decode(bad, open)).toMatchObject({ ok: false, reason: expect.stringContaining("malformed JSON") });
  });

  it("refuses an unknown signature scheme", () => {
    expect(() => createSigner("hmac-md5", "k")).toThrow(/unsupported signature_scheme "hmac-md5"/);
  });

  it("reads tcp and ipc connection files and names the file on errors", () => {
    const dir = mkdtempSync(join(tmpdir(), "conn-"));
    const file = join(dir, "c.json");
    const ports = { shell_port: 1, control_port: 2, iopub_port: 3, stdin_port: 4, hb_port: 5 };
    writeFileSync(file, JSON.stringify({ ...ports, ip: "127.0.0.1", transport: "tcp", key: "k", signature_scheme: "hmac-sha256" }));
    expect(endpoint(readConnectionFile(file), "iopub")).toBe("tcp://127.0.0.1:3");
    writeFileSync(file, JSON.stringify({ ...ports, ip: "/tmp/k", transport: "ipc", key: "k", signature_scheme: "hmac-sha256" }));
    expect(endpoint(readConnectionFile(file), "hb")).toBe("ipc:///tmp/k-5");
    writeFileSync(file, JSON.stringify({ ip: "127.0.0.1" }));
    expect(() => readConnectionFile(file)).toThrow(new RegExp(`${file}: missing shell_port`));
  });
});
