/** Jupyter messages and their multipart wire form: identities, `<IDS|MSG>`, signature, four JSON frames, buffers. */
import { randomUUID } from "node:crypto";
import type { Signer } from "./signer.js";

export const PROTOCOL_VERSION = "5.3";
const DELIMITER = "<IDS|MSG>";

export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

export interface JupyterMessage<C = any> {
  /** zeromq routing identities (ROUTER sockets); empty on iopub. */
  identities: Buffer[];
  header: MessageHeader;
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
  channel?: string;
}

export function newHeader(msgType: string, session: string, username = "kernel"): MessageHeader {
  return {
    msg_id: randomUUID(),
    msg_type: msgType,
    session,
    username,
    date: new Date().toISOString(),
    version: PROTOCOL_VERSION,
  };
}

/** Serializes and signs a message into zeromq frames. */
export function encode(msg: Omit<JupyterMessage, "channel">, signer: Signer): Buffer[] {
  const parts = [msg.header, msg.parent_header, msg.metadata, msg.content].map((p) => Buffer.from(JSON.stringify(p)));
  return [...msg.identities, Buffer.from(DELIMITER), Buffer.from(signer.sign(parts)), ...parts, ...msg.buffers];
}

export type Decoded = { ok: true; msg: JupyterMessage } | { ok: false; reason: string; identities: Buffer[] };

/** Parses and verifies frames; never throws: a bad message gets a reason instead. */
export function decode(frames: Buffer[], signer: Signer): Decoded {
  const at = frames.findIndex((f) => f.length === DELIMITER.length && f.toString() === DELIMITER);
  const identities = at < 0 ? [] : frames.slice(0, at);
  if (at < 0) return { ok: false, reason: "no <IDS|MSG> delimiter", identities };
  if (frames.length < at + 6) return { ok: false, reason: `only ${frames.length - at - 1} frames after the delimiter (need 5)`, identities };
  const signature = frames[at + 1].toString();
  const parts = frames.slice(at + 2, at + 6);
  if (!signer.verify(signature, parts)) {
    return { ok: false, reason: signature === "" ? "missing signature" : "invalid signature", identities };
  }
  try {
    const [header, parent_header, metadata, content] = parts.map((p) => JSON.parse(p.toString("utf8")));
    if (typeof header !== "object" || header === null || typeof header.msg_type !== "string") {
      return { ok: false, reason: "header without msg_type", identities };
    }
    return {
      ok: true,
      msg: {
        identities,
        header,
        parent_header: parent_header ?? {},
        metadata: metadata ?? {},
        content: content ?? {},
        buffers: frames.slice(at + 6),
      },
    };
  } catch (e) {
    return { ok: false, reason: `malformed JSON: ${(e as Error).message}`, identities };
  }
}
