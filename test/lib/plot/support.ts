/** Checks shared by the plot tests: the Vega-Lite v5 schema, SVG parsing and mark counting. */
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { decodePng } from "./png.js";
import { expect } from "vitest";

let validate: ReturnType<Ajv["compile"]> | undefined;

/** Validates a spec against the JSON schema that the installed vega-lite ships. */
export function expectValidVegaLite(spec: unknown): void {
  if (!validate) {
    const schema = JSON.parse(readFileSync(require.resolve("vega-lite/build/vega-lite-schema.json"), "utf8"));
    const ajv = new Ajv({ allowUnionTypes: true, strict: false });
    addFormats(ajv);
    ajv.addFormat("color-hex", /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i); // vega-lite's own format
    validate = ajv.compile(schema);
  }
  const ok = validate(spec);
  if (!ok) throw new Error(`spec does not validate against the Vega-Lite v5 schema: ${JSON.stringify(validate.errors?.slice(0, 3), null, 1)}`);
}

/** Parses SVG text with resvg (a real SVG parser and renderer); returns its pixel size. */
export function parseSVG(svg: string): { width: number; height: number } {
  const image = new Resvg(svg, { font: { loadSystemFonts: false } });
  return { width: image.width, height: image.height };
}

/**
 * Counts the items of each leaf mark type in vega's SVG: vega writes each mark
 * as <g class="mark-TYPE role-mark …"> holding one element per item.
 */
export function markItems(svg: string, type: string): number {
  let count = 0;
  const group = new RegExp(`<g class="mark-${type} role-mark[^"]*"[^>]*>(.*?)</g>`, "gs");
  for (const match of svg.matchAll(group)) {
    count += (match[1]!.match(/<(path|text|line)\b/g) ?? []).length;
  }
  return count;
}

/** Decodes a PNG and returns its size and whether a given RGB colour occurs. */
export function decodePNG(png: Uint8Array): { width: number; height: number; has(rgb: readonly number[]): boolean; countNot(rgb: readonly number[]): number } {
  const image = decodePng(png);
  const channels = image.channels;
  const data = image.data;
  const at = (i: number) => [data[i * channels]!, data[i * channels + 1]!, data[i * channels + 2]!];
  const pixels = image.width * image.height;
  return {
    width: image.width,
    height: image.height,
    has(rgb) {
      for (let i = 0; i < pixels; i++) {
        const p = at(i);
        if (p[0] === rgb[0] && p[1] === rgb[1] && p[2] === rgb[2]) return true;
      }
      return false;
    },
    countNot(rgb) {
      let n = 0;
      for (let i = 0; i < pixels; i++) {
        const p = at(i);
        if (Math.abs(p[0]! - rgb[0]!) + Math.abs(p[1]! - rgb[1]!) + Math.abs(p[2]! - rgb[2]!) > 30) n++;
      }
      return n;
    },
  };
}

export function expectChartBundle(bundle: Record<string, unknown>): void {
  expect(Object.keys(bundle).sort()).toEqual(["application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"]);
  expect(bundle["text/html"]).toBeUndefined();
}

/** A made-up but realistic training history: `epochs` × `perEpoch` batches, loss falling, accuracy rising. */
export function fakeHistory(epochs: number, perEpoch: number, withValidation = true) {
  const batches = [];
  const epochRows = [];
  let step = 0;
  for (let e = 1; e <= epochs; e++) {
    let lossSum = 0;
    let accSum = 0;
    for (let b = 0; b < perEpoch; b++) {
      step++;
      const t = step / (epochs * perEpoch);
      const loss = 2.3 * Math.exp(-4 * t) + 0.05 + 0.1 * Math.sin(step * 12.9898);
      const accuracy = Math.min(1, Math.max(0, 1 - loss / 2.5));
      batches.push({ epoch: e, batch: b, step, loss, accuracy, lr: 0.01 * (1 - t / 2) });
      lossSum += loss;
      accSum += accuracy;
    }
    const loss = lossSum / perEpoch;
    const accuracy = accSum / perEpoch;
    epochRows.push({
      epoch: e,
      loss,
      accuracy,
      ...(withValidation ? { valLoss: loss * 1.1, valAccuracy: accuracy * 0.99 } : {}),
      seconds: 1.5,
    });
  }
  return { batches, epochs: epochRows };
}

/**
 * Runs `body` as a plain Node script would see it (no kernel host): stdout is
 * captured and MNIST_LAB_OUTPUT_DIR points at a fresh folder. The caller
 * removes `dir` when done.
 */
export function runInTerminal(prefix: string, body: () => void): { lines: string[]; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const previous = process.env.MNIST_LAB_OUTPUT_DIR;
  process.env.MNIST_LAB_OUTPUT_DIR = dir;
  const lines: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => (lines.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    body();
  } finally {
    process.stdout.write = write;
    if (previous === undefined) delete process.env.MNIST_LAB_OUTPUT_DIR;
    else process.env.MNIST_LAB_OUTPUT_DIR = previous;
  }
  return { lines, dir };
}
