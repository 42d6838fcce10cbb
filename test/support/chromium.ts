/**
 * Headless Chromium for the HTML checks: the DOM after scripts ran, or a
 * screenshot decoded with fast-png. Each call runs offline in a fresh profile.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { commandExists } from "./tools.js";

export const CHROMIUM = "/usr/bin/chromium";
export const chromiumAvailable = () => commandExists(CHROMIUM);

const run = promisify(execFile);
const TIMEOUT_MS = 90_000;

const BASE_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--hide-scrollbars",
  // lets vega-embed's promises settle before the page is captured
  "--virtual-time-budget=5000",
];

export type RGB = readonly [number, number, number];

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Screenshot {
  width: number;
  height: number;
  /** RGB of pixel (x, y). */
  pixel(x: number, y: number): [number, number, number];
  /** pixels in the box that differ from white (by more than a little anti-aliasing) */
  inkIn(box: Box): number;
  /** pixels in the box within `tolerance` (sum of channel differences) of `rgb` */
  colourIn(box: Box, rgb: RGB, tolerance?: number): number;
}

export interface ScreenshotOptions {
  width?: number;
  height?: number;
  extraFlags?: string[];
}

/** Runs `body` with a fresh profile directory, removed afterwards. */
async function withProfile<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "mnist-lab-chromium-"));
  try {
    return await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const args = (dir: string, htmlPath: string, flags: string[]) => [
  ...BASE_FLAGS,
  `--user-data-dir=${join(dir, "profile")}`,
  ...flags,
  pathToFileURL(htmlPath).href,
];

/** The page's DOM after its scripts ran. */
export async function dumpDom(htmlPath: string, extraFlags: string[] = []): Promise<string> {
  return withProfile(async (dir) => {
    const { stdout } = await run(CHROMIUM, args(dir, htmlPath, [...extraFlags, "--dump-dom"]), {
      maxBuffer: 64 * 1024 * 1024,
      timeout: TIMEOUT_MS,
    });
    return stdout;
  });
}

/** Opens `htmlPath` in a window of the given size and screenshots it. */
export async function screenshot(htmlPath: string, { width = 1200, height = 900, extraFlags = [] }: ScreenshotOptions = {}): Promise<Screenshot> {
  const png = await withProfile(async (dir) => {
    const out = join(dir, "shot.png");
    await run(CHROMIUM, args(dir, htmlPath, [...extraFlags, `--screenshot=${out}`, `--window-size=${width},${height}`]), { timeout: TIMEOUT_MS });
    return readFileSync(out);
  });
  // fast-png is ESM-only; the tests compile as CommonJS, so it is imported dynamically
  const { decode } = await import("fast-png");
  const image = decode(png);
  const { channels, data } = image;
  const pixel = (x: number, y: number): [number, number, number] => {
    const i = (y * image.width + x) * channels;
    return [Number(data[i]), Number(data[i + 1]), Number(data[i + 2])];
  };
  const count = (box: Box, match: (r: number, g: number, b: number) => boolean) => {
    let n = 0;
    for (let y = box.y; y < Math.min(box.y + box.height, image.height); y++) {
      for (let x = box.x; x < Math.min(box.x + box.width, image.width); x++) {
        if (match(...pixel(x, y))) n++;
      }
    }
    return n;
  };
  return {
    width: image.width,
    height: image.height,
    pixel,
    inkIn: (box) => count(box, (r, g, b) => 765 - r - g - b > 60),
    colourIn: (box, [R, G, B], tolerance = 30) =>
      count(box, (r, g, b) => Math.abs(r - R) + Math.abs(g - G) + Math.abs(b - B) <= tolerance),
  };
}

/** Counts pixels of the whole image within `tolerance` of `rgb` in every channel. */
export function countColour(shot: Screenshot, rgb: RGB, tolerance = 12): number {
  let count = 0;
  for (let y = 0; y < shot.height; y++) {
    for (let x = 0; x < shot.width; x++) {
      const [r, g, b] = shot.pixel(x, y);
      if (Math.abs(r - rgb[0]) <= tolerance && Math.abs(g - rgb[1]) <= tolerance && Math.abs(b - rgb[2]) <= tolerance) count++;
    }
  }
  return count;
}
