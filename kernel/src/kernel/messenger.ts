/** The one place that builds, signs and sends every message the kernel emits. */
import { encode, newHeader, type JupyterMessage, type MessageHeader, type Signer } from "../wire/index.js";

export type OutChannel = "shell" | "control" | "iopub" | "stdin";
export type FrameSender = (frames: Buffer[]) => void;

export class Messenger {
  constructor(
    private readonly signer: Signer,
    readonly session: string,
    private readonly senders: Record<OutChannel, FrameSender>,
  ) {}

  /**
   * Sends `msgType` with `content` on `channel`. Replies (shell, control, stdin) go back to
   * the parent's identities; iopub messages carry the parent header so frontends can route them.
   */
  send(
    channel: OutChannel,
    msgType: string,
    content: object,
    parent?: Pick<JupyterMessage, "header" | "identities">,
    metadata: Record<string, unknown> = {},
  ): MessageHeader {
    const header = newHeader(msgType, this.session);
    const identities = channel === "iopub" ? [Buffer.from(`kernel.${this.session}.${msgType}`)] : (parent?.identities ?? []);
    this.senders[channel](
      encode({ identities, header, parent_header: parent?.header ?? {}, metadata, content, buffers: [] }, this.signer),
    );
    return header;
  }
}
