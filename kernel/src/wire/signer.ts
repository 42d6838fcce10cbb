/** HMAC signing of the four message frames (header, parent_header, metadata, content). */
import { createHmac, timingSafeEqual } from "node:crypto";

export interface Signer {
  sign(frames: readonly Buffer[]): string;
  verify(signature: string, frames: readonly Buffer[]): boolean;
}

const SCHEMES: Record<string, string> = { "hmac-sha256": "sha256" };

/** Throws for a scheme we do not implement: a kernel must not silently accept unsigned traffic. */
export function createSigner(scheme: string, key: string): Signer {
  const algorithm = SCHEMES[scheme];
  if (!algorithm) {
    throw new Error(
      `unsupported signature_scheme ${JSON.stringify(scheme)} in the connection file (supported: ${Object.keys(SCHEMES).join(", ")})`,
    );
  }
  // An empty key disables signing, as in the Jupyter spec.
  if (key === "") return { sign: () => "", verify: () => true };
  const sign = (frames: readonly Buffer[]): string => {
    const hmac = createHmac(algorithm, key);
    for (const frame of frames) hmac.update(frame);
    return hmac.digest("hex");
  };
  return {
    sign,
    verify(signature, frames) {
      const expected = Buffer.from(sign(frames));
      const given = Buffer.from(signature);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
