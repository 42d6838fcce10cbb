/**
 * Where displays go outside the kernel: text to stdout, images and charts to
 * files under MNIST_LAB_OUTPUT_DIR (default `./mnist-lab-output`), named in a line.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { MimeBundle } from "./bundle.js";
import { writeFileAtomic } from "../util/atomic-write.js";

const FILE_TYPES: ReadonlyArray<[mime: string, ext: string, binary: boolean]> = [
  ["image/png", "png", true],
  ["image/svg+xml", "svg", false],
  ["text/html", "html", false],
];

let fileCounter = 0;

export function outputDir(): string {
  return resolve(process.env.MNIST_LAB_OUTPUT_DIR ?? "mnist-lab-output");
}

export function showInTerminal(bundle: MimeBundle): void {
  const text = bundle["text/plain"];
  const file = FILE_TYPES.find(([mime]) => typeof bundle[mime] === "string");
  let savedTo = "";
  if (file) {
    const [mime, ext, binary] = file;
    const dir = outputDir();
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `display-${process.pid}-${++fileCounter}.${ext}`);
    const payload = bundle[mime] as string;
    writeFileAtomic(path, binary ? Buffer.from(payload, "base64") : payload);
    savedTo = ` (${mime} saved to ${path})`;
  }
  const line = typeof text === "string" ? text : file ? `[${file[0]}]` : JSON.stringify(bundle);
  process.stdout.write(`${line}${savedTo}\n`);
}
