import { describe, expect, test } from "vitest";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { show } from "../../../lib/src/display/show.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DISPLAY } from "../../../lib/src/display/bundle.js";
import { HIGHLIGHT_COLOR, featureMapsImage, imageGrid, showSamples } from "../../../lib/src/plot/image/grid.js";
import type { ImageSet } from "../../../lib/src/data/types.js";
import { decodePNG, runInTerminal } from "./support.js";

/** A digit-like 28×28 image: a bright bar whose position depends on `k`. */
function digit(k: number): Uint8Array {
  const pixels = new Uint8Array(28 * 28);
  for (let y = 4; y < 24; y++) for (let x = 10 + (k % 8); x < 14 + (k % 8); x++) pixels[y * 28 + x] = 255;
  return pixels;
}

function pngOf(display: { [DISPLAY](): Record<string, unknown> }) {
  const bundle = display[DISPLAY]();
  expect(Object.keys(bundle).sort()).toEqual(["image/png", "text/plain"]);
  return decodePNG(Buffer.from(bundle["image/png"] as string, "base64"));
}

describe("imageGrid", () => {
  test("lays images out with captions; a highlighted image gets the highlight colour", () => {
    const grid = imageGrid(
      [
        { pixels: digit(1), width: 28, height: 28, caption: "7" },
        { pixels: digit(2), width: 28, height: 28, caption: "1→7", highlight: true },
        { pixels: Float32Array.from(digit(3), (v) => v / 255), width: 28, height: 28, caption: "ok." },
      ],
      { columns: 3, scale: 2 },
    );
    const png = pngOf(grid);
    // 3 cells of (56 + 6) plus a 6 px margin; one row of 56 + caption 11 + 6, plus 6
    expect([png.width, png.height]).toEqual([192, 79]);
    expect([grid.width, grid.height]).toEqual([192, 79]);
    expect(png.has(HIGHLIGHT_COLOR)).toBe(true);
    expect(png.has([51, 51, 51])).toBe(true); // caption text
    expect(grid[DISPLAY]()["text/plain"]).toMatch(/3 images.*1 highlighted/);
  });

  test("without highlights the colour is absent", () => {
    const png = pngOf(imageGrid([{ pixels: digit(0), width: 28, height: 28, caption: "0" }]));
    expect(png.has(HIGHLIGHT_COLOR)).toBe(false);
  });

  test("a title widens the image and a wrong pixel count is named", () => {
    const png = pngOf(imageGrid([{ pixels: digit(0), width: 28, height: 28 }], { title: "Misclassified test digits", scale: 1 }));
    expect(png.width).toBeGreaterThanOrEqual(25 * 12);
    expect(() => imageGrid([{ pixels: new Uint8Array(10), width: 28, height: 28 }])).toThrow(/image 0 has 10 pixels but is 28×28/);
  });

  test("save writes a PNG file atomically and refuses other formats", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mnist-lab-img-"));
    try {
      const grid = imageGrid([{ pixels: digit(0), width: 28, height: 28 }]);
      await grid.save(join(dir, "sub", "grid.png"));
      const png = decodePNG(readFileSync(join(dir, "sub", "grid.png")));
      expect(png.width).toBe(grid.width);
      await expect(grid.save(join(dir, "grid.jpg"))).rejects.toThrow(/as \.png only/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("showSamples and featureMapsImage", () => {
  const count = 50;
  const set: ImageSet = {
    name: "synthetic/train",
    images: (() => {
      const all = new Uint8Array(count * 784);
      for (let i = 0; i < count; i++) all.set(digit(i), i * 784);
      return all;
    })(),
    labels: Uint8Array.from({ length: count }, (_, i) => i % 10),
    count,
    height: 28,
    width: 28,
    classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  };

  test("same seed, same samples; another seed, other samples", () => {
    const a = showSamples(set, 12, { seed: 1 });
    const b = showSamples(set, 12, { seed: 1 });
    const c = showSamples(set, 12, { seed: 2 });
    expect(Buffer.from(a.png).equals(Buffer.from(b.png))).toBe(true);
    expect(Buffer.from(a.png).equals(Buffer.from(c.png))).toBe(false);
    expect(a[DISPLAY]()["text/plain"]).toMatch(/synthetic\/train: 12 samples/);
    expect(pngOf(a).countNot([255, 255, 255])).toBeGreaterThan(12 * 80 * 4); // the digits' bars are drawn
    expect(() => showSamples(set, 51)).toThrow(/asked for 51 samples but synthetic\/train has 50/);
  });

  test("feature maps: one tile per channel", () => {
    const [h, w, channels] = [12, 12, 16];
    const maps = Float32Array.from({ length: h * w * channels }, (_, i) => Math.sin(i));
    const image = featureMapsImage(maps, [h, w, channels]);
    const png = pngOf(image);
    expect(png.width).toBeGreaterThan(8 * 12 * 4);
    expect(png.height).toBeGreaterThan(2 * 12 * 4);
    expect(() => featureMapsImage(maps, [h, w, 8])).toThrow(/do not fill shape \[12, 12, 8\]/);
  });
});

test("outside the kernel, show(image) writes a PNG file and names it on stdout", () => {
  const { lines, dir } = runInTerminal("mnist-lab-show-", () =>
    show(imageGrid([{ pixels: digit(4), width: 28, height: 28, caption: "4" }], { title: "one" })),
  );
  try {
    expect(lines.join("")).toMatch(/one: 1 image in .*image\/png saved to .*\.png/);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(decodePNG(readFileSync(join(dir, files[0]!))).width).toBeGreaterThan(28);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
