/**
 * The IDX file format (LeCun's MNIST files): two zero bytes, a type code, the
 * number of dimensions, each dimension as a big-endian uint32, then the items
 * big-endian. Files may be gzip-compressed; that is detected from the magic
 * bytes (0x1f 0x8b), not the name.
 */
import { readFile } from "node:fs/promises";
import { gunzip } from "node:zlib";
import { promisify } from "node:util";

const gunzipAsync = promisify(gunzip);

export type IdxType = "uint8" | "int8" | "int16" | "int32" | "float32" | "float64";
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  type: IdxType;
  dims: number[];
  /** Host-order values; uint8 and int8 data are views on the file's bytes (no copy). */
  data: IdxData;
  /** The file it came from (for error messages). */
  file: string;
}

/** A file that is not valid IDX; the message names the file and the problem. */
export class IdxFormatError extends Error {
  constructor(readonly file: string, readonly problem: string) {
    super(`${file}: ${problem}`);
    this.name = "IdxFormatError";
  }
}

const TYPES: Record<number, { type: IdxType; size: number }> = {
  0x08: { type: "uint8", size: 1 },
  0x09: { type: "int8", size: 1 },
  0x0b: { type: "int16", size: 2 },
  0x0c: { type: "int32", size: 4 },
  0x0d: { type: "float32", size: 4 },
  0x0e: { type: "float64", size: 8 },
};

/** The IDX type code for a type name (for writing files). */
export const IDX_TYPE_CODES: Record<IdxType, number> = {
  uint8: 0x08, int8: 0x09, int16: 0x0b, int32: 0x0c, float32: 0x0d, float64: 0x0e,
};

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Reads an IDX file, raw or gzip. */
export async function readIdx(path: string): Promise<IdxArray> {
  const bytes = await readFile(path);
  return parseIdx(await maybeGunzip(bytes, path), path);
}

/** Decompresses gzip bytes (detected by magic), or returns the bytes as they are. */
export async function maybeGunzip(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  try {
    return await gunzipAsync(bytes);
  } catch (error) {
    const reason = (error as Error).message;
    const problem = /unexpected end/i.test(reason) ? "truncated gzip data (the file was cut short)" : `corrupt gzip data (${reason})`;
    throw new IdxFormatError(file, problem);
  }
}

/** Parses IDX bytes (already decompressed). */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) throw new IdxFormatError(file, `too short for an IDX header (${bytes.length} bytes)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxFormatError(file, `bad magic number 0x${hex(bytes, 0, 4)} (IDX files start with two zero bytes)`);
  }
  const code = bytes[2];
  const kind = TYPES[code];
  if (!kind) throw new IdxFormatError(file, `unknown IDX type code 0x${code.toString(16).padStart(2, "0")}`);
  const rank = bytes[3];
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) {
    throw new IdxFormatError(file, `truncated header: ${rank} dimensions need ${headerLength} bytes, file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const expected = count * kind.size;
  const payload = bytes.length - headerLength;
  if (payload !== expected) {
    throw new IdxFormatError(
      file,
      `dimensions ${dims.join("×") || "(scalar)"} × ${kind.size}-byte ${kind.type} = ${expected} bytes, but the payload has ${payload} bytes` +
        (payload < expected ? " (truncated file?)" : ""),
    );
  }
  return { type: kind.type, dims, data: decode(kind.type, view, headerLength, count), file };
}

function decode(type: IdxType, view: DataView, offset: number, count: number): IdxData {
  const start = view.byteOffset + offset;
  switch (type) {
    case "uint8":
      return new Uint8Array(view.buffer, start, count);
    case "int8":
      return new Int8Array(view.buffer, start, count);
    case "int16": {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case "int32": {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case "float32": {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case "float64": {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

/** Encodes values as IDX bytes (big-endian): used by tests and for saving subsets. */
export function encodeIdx(type: IdxType, dims: number[], values: ArrayLike<number>): Uint8Array {
  const size = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 }[type];
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + values.length * size);
  const view = new DataView(out.buffer);
  out[2] = IDX_TYPE_CODES[type];
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < values.length; i++) {
    const at = header + i * size;
    const v = values[i];
    if (type === "uint8") view.setUint8(at, v);
    else if (type === "int8") view.setInt8(at, v);
    else if (type === "int16") view.setInt16(at, v, false);
    else if (type === "int32") view.setInt32(at, v, false);
    else if (type === "float32") view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  }
  return out;
}

function hex(bytes: Uint8Array, from: number, to: number): string {
  return Array.from(bytes.subarray(from, to), (b) => b.toString(16).padStart(2, "0")).join("");
}
