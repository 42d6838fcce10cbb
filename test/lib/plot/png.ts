/** fast-png's decoder for the tests (fast-png is ESM-only; these files type-check as CommonJS). */
export interface DecodedPng {
  width: number;
  height: number;
  channels: number;
  data: ArrayLike<number>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const fastPng = require("fast-png") as { decode(data: Uint8Array): DecodedPng };

export function decodePng(data: Uint8Array): DecodedPng {
  return fastPng.decode(data);
}
