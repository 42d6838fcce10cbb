import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { encodeIdx, IdxFormatError, readIdx, type IdxType } from "../../../lib/src/data/idx.js";
import { tempDir } from "./fixtures.js";

const tmp = tempDir();
afterAll(tmp.cleanup);

const SAMPLES: Record<IdxType, { code: number; values: number[] }> = {
  uint8: { code: 0x08, values: [0, 1, 127, 128, 255, 42] },
  int8: { code: 0x09, values: [-128, -1, 0, 1, 127, 5] },
  int16: { code: 0x0b, values: [-32768, -2, 0, 258, 32767, 7] },
  int32: { code: 0x0c, values: [-2147483648, -70000, 0, 65537, 2147483647, 9] },
  float32: { code: 0x0d, values: [-1.5, 0, 0.25, 3.0e10, -7.125, 1] },
  float64: { code: 0x0e, values: [Math.PI, -Math.E, 0, 1e-300, 1e300, -0.5] },
};

function write(name: string, bytes: Uint8Array): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function expectIdxError(path: string, pattern: RegExp): Promise<void> {
  const error = await readIdx(path).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(IdxFormatError);
  expect((error as Error).message).toContain(path);
  expect((error as Error).message).toMatch(pattern);
}

describe("readIdx", () => {
  for (const [type, { code, values }] of Object.entries(SAMPLES) as [IdxType, (typeof SAMPLES)[IdxType]][]) {
    for (const gzip of [false, true]) {
      it(`reads ${type} (type code 0x${code.toString(16)}) ${gzip ? "gzip" : "raw"}, big-endian, rank 2`, async () => {
        const raw = encodeIdx(type, [2, 3], values);
        expect(raw[2]).toBe(code);
        expect(raw[3]).toBe(2);
        // the name says nothing about compression: detection is by magic bytes
        const path = write(`${type}-${gzip}.idx`, gzip ? gzipSync(raw) : raw);
        const idx = await readIdx(path);
        expect(idx.type).toBe(type);
        expect(idx.dims).toEqual([2, 3]);
        expect(idx.file).toBe(path);
        const expected = type === "float32" ? Array.from(Float32Array.from(values)) : values;
        expect(Array.from(idx.data)).toEqual(expected);
      });
    }
  }

  it("reads any rank, including 0 (a scalar) and 4", async () => {
    const scalar = await readIdx(write("scalar.idx", encodeIdx("int32", [], [123456])));
    expect(scalar.dims).toEqual([]);
    expect(Array.from(scalar.data)).toEqual([123456]);
    const values = Array.from({ length: 2 * 1 * 3 * 2 }, (_, i) => i * 3);
    const rank4 = await readIdx(write("rank4.idx", encodeIdx("int16", [2, 1, 3, 2], values)));
    expect(rank4.dims).toEqual([2, 1, 3, 2]);
    expect(Array.from(rank4.data)).toEqual(values);
  });

  it("keeps uint8 data as a view on the file's bytes (no copy)", async () => {
    const idx = await readIdx(write("view.idx", encodeIdx("uint8", [4, 2, 2], new Array(16).fill(9))));
    expect(idx.data.byteOffset).toBe(4 + 3 * 4);
    expect(idx.data.buffer.byteLength).toBeGreaterThanOrEqual(16 + 16);
  });

  it("rejects a bad magic number, naming the file", async () => {
    const bytes = encodeIdx("uint8", [2], [1, 2]);
    bytes[0] = 0x50; // e.g. a PNG or text file
    await expectIdxError(write("bad-magic.idx", bytes), /bad magic number 0x50000801/);
  });

  it("rejects an unknown type code", async () => {
    const bytes = encodeIdx("uint8", [2], [1, 2]);
    bytes[2] = 0x0a;
    await expectIdxError(write("bad-type.idx", bytes), /unknown IDX type code 0x0a/);
  });

  it("rejects a payload shorter than dims × item size (truncated file)", async () => {
    const bytes = encodeIdx("int16", [3, 2], [1, 2, 3, 4, 5, 6]);
    await expectIdxError(write("short.idx", bytes.subarray(0, bytes.length - 3)), /dimensions 3×2 × 2-byte int16 = 12 bytes, but the payload has 9 bytes \(truncated/);
  });

  it("rejects a payload longer than dims × item size", async () => {
    const bytes = encodeIdx("uint8", [2], [1, 2]);
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    await expectIdxError(write("long.idx", longer), /= 2 bytes, but the payload has 3 bytes/);
  });

  it("rejects a truncated header", async () => {
    const bytes = encodeIdx("uint8", [2, 2, 2], new Array(8).fill(0));
    await expectIdxError(write("header.idx", bytes.subarray(0, 9)), /truncated header: 3 dimensions need 16 bytes/);
    await expectIdxError(write("tiny.idx", new Uint8Array([0, 0])), /too short for an IDX header/);
  });

  it("rejects truncated gzip data", async () => {
    const gz = gzipSync(encodeIdx("uint8", [100], new Array(100).fill(7)));
    await expectIdxError(write("cut.idx.gz", gz.subarray(0, gz.length - 10)), /truncated gzip/);
  });

  it("rejects corrupt gzip data", async () => {
    const gz = new Uint8Array(gzipSync(encodeIdx("uint8", [100], new Array(100).fill(7))));
    gz[12] ^= 0xff;
    gz[13] ^= 0xff;
    await expectIdxError(write("corrupt.idx.gz", gz), /gzip/);
  });
});
