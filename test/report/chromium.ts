/**
 * Headless Chromium for report tests: a screenshot (decoded with fast-png) or
 * the DOM after scripts ran. Each call gets a fresh profile directory.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

export const CHROMIUM = "/usr/bin/chromium";
const run = promisify(execFile);

const BASE_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  // lets vega-embed's promises settle before the page is captured
  "--virtual-time-budget=5000",
];

async function withProfile<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "mnist-lab-chromium-"));
  try {
    return await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function dumpDom(htmlPath: string, extraFlags: string[] = []): Promise<string> {
  return withProfile(async (dir) => {
    const { stdout } = await run(
      CHROMIUM,
      [...BASE_FLAGS, ...extraFlags, `--user-data-dir=${join(dir, "profile")}`, "--dump-dom", pathToFileURL(htmlPath).href],
      { maxBuffer: 64 * 1024 * 1024, timeout: 90_000 },
    );
    return stdout;
  });
}

export interface Screenshot {
  width: number;
  height: number;
  /** RGB(A) of pixel (x, y). */
  pixel(x: number, y: number): [number, number, number];
}

export async function screenshot(htmlPath: string, extraFlags: string[] = [], size = "1200,2000"): Promise<Screenshot> {
  return withProfile(async (dir) => {
    const png = join(dir, "shot.png");
    await run(
      CHROMIUM,
      [...BASE_FLAGS, ...extraFlags, `--user-data-dir=${join(dir, "profile")}`, `--screenshot=${png}`, `--window-size=${size}`, pathToFileURL(htmlPath).href],
      { timeout: 90_000 },
    );
    // fast-png is ESM-only; the tests compile as CommonJS, so it is imported dynamically
    const { decode } = await import("fast-png");
    const image = decode(readFileSync(png));
    const channels = image.channels;
    const data = image.data;
    return {
      width: image.width,
      height: image.height,
      pixel(x, y) {
        const i = (y * image.width + x) * channels;
        return [Number(data[i]), Number(data[i + 1]), Number(data[i + 2])];
      },
    };
  });
}

/** Counts pixels within `tolerance` of `rgb` in the whole image. */
export function countColour(shot: Screenshot, rgb: [number, number, number], tolerance = 12): number {
  let count = 0;
  for (let y = 0; y < shot.height; y++) {
    for (let x = 0; x < shot.width; x++) {
      const [r, g, b] = shot.pixel(x, y);
      if (Math.abs(r - rgb[0]) <= tolerance && Math.abs(g - rgb[1]) <= tolerance && Math.abs(b - rgb[2]) <= tolerance) count++;
    }
  }
  return count;
}
