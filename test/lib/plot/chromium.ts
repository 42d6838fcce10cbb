/** Headless Chromium for the HTML checks: screenshot a local page and decode it. */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { pathToFileURL } from "node:url";
import { decodePng } from "./png.js";
import { commandExists } from "../../support/tools.js";

export const CHROMIUM = "/usr/bin/chromium";
export const chromiumAvailable = () => commandExists(CHROMIUM);

export interface Screenshot {
  width: number;
  height: number;
  /** pixels in the box that differ from white (by more than a little anti-aliasing) */
  inkIn(box: Box): number;
  /** pixels in the box within `tolerance` (sum of channel differences) of `rgb` */
  colourIn(box: Box, rgb: readonly [number, number, number], tolerance?: number): number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Opens `htmlPath` in a fresh headless Chromium profile, offline, and screenshots it. */
export async function screenshot(htmlPath: string, width = 1200, height = 900): Promise<Screenshot> {
  const profile = mkdtempSync(join(tmpdir(), "mnist-lab-chromium-"));
  const out = join(profile, "shot.png");
  try {
    await promisify(execFile)(
      CHROMIUM,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--hide-scrollbars",
        `--user-data-dir=${profile}`,
        "--virtual-time-budget=5000",
        `--screenshot=${out}`,
        `--window-size=${width},${height}`,
        pathToFileURL(htmlPath).href,
      ],
      { timeout: 60_000 },
    );
    const image = decodePng(readFileSync(out));
    const data = image.data;
    const channels = image.channels;
    const count = (box: Box, match: (r: number, g: number, b: number) => boolean) => {
      let n = 0;
      for (let y = box.y; y < Math.min(box.y + box.height, image.height); y++) {
        for (let x = box.x; x < Math.min(box.x + box.width, image.width); x++) {
          const i = (y * image.width + x) * channels;
          if (match(data[i]!, data[i + 1]!, data[i + 2]!)) n++;
        }
      }
      return n;
    };
    return {
      width: image.width,
      height: image.height,
      inkIn: (box) => count(box, (r, g, b) => 765 - r - g - b > 60),
      colourIn: (box, [R, G, B], tolerance = 30) =>
        count(box, (r, g, b) => Math.abs(r - R) + Math.abs(g - G) + Math.abs(b - B) <= tolerance),
    };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
