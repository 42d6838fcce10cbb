/**
 * A PNG file as an MNIST-style digit: grey levels, light ink on a dark
 * background (a dark digit on a light page is inverted; with transparency the
 * opaque strokes are the ink), resized to the model's input by area averaging.
 */

/** The part of fast-png's API used here (it is ESM-only; Node ≥ 20.19 require()s it). */
interface DecodedPng {
  width: number;
  height: number;
  data: Uint8Array | Uint16Array;
  channels: number;
  depth: number;
  palette?: number[][];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { decode } = require("fast-png") as { decode(data: Uint8Array): DecodedPng };

export function pngToGrey(bytes: Uint8Array, width: number, height: number, name: string): { pixels: Uint8Array; notes: string[] } {
  let png: DecodedPng;
  try {
    png = decode(bytes);
  } catch (error) {
    throw new Error(`${name} is not a readable PNG file: ${(error as Error).message}`);
  }
  const notes: string[] = [];
  const { grey, alpha } = channelsOf(png);
  let ink: Float32Array;
  if (alpha && alpha.some((a) => a < 0.5)) {
    ink = alpha; // strokes drawn on a transparent background
    notes.push("transparency used as ink");
  } else {
    ink = grey;
    if (borderMean(grey, png.width, png.height) > 0.5) {
      ink = grey.map((v) => 1 - v);
      notes.push("inverted (dark digit on a light background)");
    }
  }
  if (png.width !== width || png.height !== height) notes.push(`resized from ${png.width}×${png.height}`);
  const resized = resize(ink, png.width, png.height, width, height);
  return { pixels: Uint8Array.from(resized, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255)), notes };
}

function channelsOf(png: DecodedPng): { grey: Float32Array; alpha?: Float32Array } {
  const n = png.width * png.height;
  const max = png.palette ? 255 : 2 ** png.depth - 1;
  const grey = new Float32Array(n);
  let alpha: Float32Array | undefined;
  const { channels, data } = png;
  if (png.palette) {
    const palette = png.palette;
    const hasAlpha = palette.some((c) => c.length === 4);
    if (hasAlpha) alpha = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const [r, g, b, a = 255] = palette[data[i]];
      grey[i] = (0.299 * r + 0.587 * g + 0.114 * b) / max;
      if (alpha) alpha[i] = a / 255;
    }
    return { grey, alpha };
  }
  if (channels === 2 || channels === 4) alpha = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const at = i * channels;
    grey[i] = channels >= 3 ? (0.299 * data[at] + 0.587 * data[at + 1] + 0.114 * data[at + 2]) / max : data[at] / max;
    if (alpha) alpha[i] = data[at + channels - 1] / max;
  }
  return { grey, alpha };
}

function borderMean(values: Float32Array, width: number, height: number): number {
  let sum = 0;
  let count = 0;
  for (let x = 0; x < width; x++) {
    sum += values[x] + values[(height - 1) * width + x];
    count += 2;
  }
  for (let y = 0; y < height; y++) {
    sum += values[y * width] + values[y * width + width - 1];
    count += 2;
  }
  return sum / count;
}

/** Area-average resize (each target pixel averages the source pixels it covers). */
export function resize(src: Float32Array, sw: number, sh: number, tw: number, th: number): Float32Array {
  if (sw === tw && sh === th) return src;
  const out = new Float32Array(tw * th);
  for (let y = 0; y < th; y++) {
    const y0 = Math.floor((y * sh) / th);
    const y1 = Math.max(y0 + 1, Math.ceil(((y + 1) * sh) / th));
    for (let x = 0; x < tw; x++) {
      const x0 = Math.floor((x * sw) / tw);
      const x1 = Math.max(x0 + 1, Math.ceil(((x + 1) * sw) / tw));
      let sum = 0;
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += src[yy * sw + xx];
      out[y * tw + x] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}
