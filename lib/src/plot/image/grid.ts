/**
 * Digit grids with captions (labels, or true→predicted with mistakes in red),
 * dataset samples and conv-layer feature maps, as PNG images.
 */
import type { ImageSet } from "../../data/types.js";
import { RgbCanvas, type RGB } from "./canvas.js";
import { GLYPH_HEIGHT, drawText, textWidth } from "./font.js";
import { ImageDisplay } from "./image-display.js";
import { mulberry32 } from "../../data/rng.js";

export interface GridImage {
  /** width × height grey levels: uint8 0…255, or floats (0…1 used as is, other ranges stretched) */
  pixels: Uint8Array | Float32Array;
  width: number;
  height: number;
  caption?: string;
  /** drawn with a red border and caption, e.g. a misclassified digit */
  highlight?: boolean;
}

export interface ImageGridOptions {
  /** default: up to 10 per row */
  columns?: number;
  /** pixel size of each image pixel, default 2 */
  scale?: number;
  title?: string;
}

export const HIGHLIGHT_COLOR: RGB = [214, 39, 40];
const CAPTION_COLOR: RGB = [51, 51, 51];
const GAP = 6;
const BORDER = 2;

function toGrey(image: GridImage, index: number): Uint8Array {
  const { pixels, width, height } = image;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error(`imageGrid: image ${index} has size ${width}×${height}; expected positive integers`);
  }
  if (pixels.length !== width * height) {
    throw new Error(`imageGrid: image ${index} has ${pixels.length} pixels but is ${width}×${height} (${width * height})`);
  }
  if (pixels instanceof Uint8Array) return pixels;
  let min = Infinity;
  let max = -Infinity;
  for (const v of pixels) {
    if (!Number.isFinite(v)) throw new Error(`imageGrid: image ${index} has a non-finite pixel (${v})`);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const [lo, hi] = min >= 0 && max <= 1 ? [0, 1] : [min, max > min ? max : min + 1];
  return Uint8Array.from(pixels, (v) => Math.round(((v - lo) / (hi - lo)) * 255));
}

/** Images in a grid, each with an optional caption below it. */
export function imageGrid(images: readonly GridImage[], options: ImageGridOptions = {}): ImageDisplay {
  if (images.length === 0) throw new Error("imageGrid: no images given");
  const scale = options.scale ?? 2;
  if (!(Number.isInteger(scale) && scale >= 1 && scale <= 32)) throw new Error(`imageGrid: scale must be an integer 1…32, got ${scale}`);
  const columns = Math.min(options.columns ?? 10, images.length);
  if (!(Number.isInteger(columns) && columns >= 1)) throw new Error(`imageGrid: columns must be a positive integer, got ${options.columns}`);
  const greys = images.map(toGrey);
  const textScale = scale >= 3 ? 2 : 1;
  const hasCaptions = images.some((im) => im.caption);
  const captionHeight = hasCaptions ? GLYPH_HEIGHT * textScale + 4 : 0;
  const imageW = Math.max(...images.map((im) => im.width)) * scale;
  const imageH = Math.max(...images.map((im) => im.height)) * scale;
  const cellW = Math.max(imageW, ...images.map((im) => textWidth(im.caption ?? "", textScale))) + GAP;
  const cellH = imageH + captionHeight + GAP;
  const rows = Math.ceil(images.length / columns);
  const titleScale = 2;
  const titleH = options.title ? GLYPH_HEIGHT * titleScale + 8 : 0;
  const width = Math.max(columns * cellW + GAP, options.title ? textWidth(options.title, titleScale) + 2 * GAP : 0);
  const height = titleH + rows * cellH + GAP;
  const canvas = new RgbCanvas(width, height);
  if (options.title) drawText(canvas, GAP, GAP, options.title, CAPTION_COLOR, titleScale);

  images.forEach((image, i) => {
    const cellX = GAP + (i % columns) * cellW;
    const cellY = titleH + GAP + Math.floor(i / columns) * cellH;
    const x = cellX + Math.floor((cellW - GAP - image.width * scale) / 2);
    canvas.drawGrey(greys[i]!, image.width, image.height, x, cellY, scale);
    if (image.highlight) canvas.outline(x, cellY, image.width * scale, image.height * scale, HIGHLIGHT_COLOR, BORDER);
    if (image.caption) {
      const tx = cellX + Math.floor((cellW - GAP - textWidth(image.caption, textScale)) / 2);
      drawText(canvas, tx, cellY + imageH + 3, image.caption, image.highlight ? HIGHLIGHT_COLOR : CAPTION_COLOR, textScale);
    }
  });

  const highlighted = images.filter((im) => im.highlight).length;
  const description =
    `${options.title ? options.title + ": " : ""}${images.length} image${images.length === 1 ? "" : "s"} in a ${columns}-column grid` +
    (highlighted ? `, ${highlighted} highlighted` : "") + ` (${width}×${height} PNG)`;
  return new ImageDisplay(canvas.toPNG(), width, height, description);
}

/** `n` random digits of an image set (seeded), each captioned with its label. */
export function showSamples(set: ImageSet, n = 20, options: ImageGridOptions & { seed?: number } = {}): ImageDisplay {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`showSamples: n must be a positive integer, got ${n}`);
  if (n > set.count) throw new Error(`showSamples: asked for ${n} samples but ${set.name} has ${set.count}`);
  const next = mulberry32(options.seed ?? 0);
  const order = Array.from({ length: set.count }, (_, i) => i);
  const size = set.width * set.height;
  const images: GridImage[] = [];
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(next() * (set.count - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
    const index = order[i]!;
    const label = set.labels[index]!;
    images.push({
      pixels: set.images.subarray(index * size, (index + 1) * size),
      width: set.width,
      height: set.height,
      caption: set.classNames[label] ?? String(label),
    });
  }
  return imageGrid(images, { title: `${set.name}: ${n} samples`, ...options });
}

/** Each channel of a conv layer's output (h × w × channels, channels last) as its own grey image. */
export function featureMapsImage(maps: Float32Array, shape: readonly [number, number, number], options: ImageGridOptions = {}): ImageDisplay {
  const [h, w, channels] = shape;
  if (maps.length !== h * w * channels) {
    throw new Error(`featureMapsImage: ${maps.length} values do not fill shape [${h}, ${w}, ${channels}] (${h * w * channels})`);
  }
  const images: GridImage[] = [];
  for (let c = 0; c < channels; c++) {
    const plane = new Float32Array(h * w);
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < h * w; i++) {
      const v = maps[i * channels + c]!;
      plane[i] = v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    // stretch each channel on its own so weak channels stay visible
    const span = max > min ? max - min : 1;
    images.push({ pixels: Uint8Array.from(plane, (v) => Math.round(((v - min) / span) * 255)), width: w, height: h, caption: `#${c}` });
  }
  const scale = options.scale ?? Math.max(1, Math.min(4, Math.floor(48 / Math.max(h, w))));
  return imageGrid(images, { columns: Math.min(8, channels), title: `Feature maps (${h}×${w}×${channels})`, ...options, scale });
}
