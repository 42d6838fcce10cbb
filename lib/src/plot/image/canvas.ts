/** An RGB pixel buffer to compose image grids on, encoded to PNG with fast-png. */
/** The part of fast-png's API used here (its types are ESM-only, this module compiles to CommonJS). */
interface FastPng {
  encode(image: { width: number; height: number; data: Uint8Array; channels: number; depth: 8 }): Uint8Array;
}

// fast-png is ESM-only; Node ≥ 20.19 loads it with require(), which keeps encoding synchronous
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { encode } = require("fast-png") as FastPng;

export type RGB = readonly [number, number, number];

export class RgbCanvas {
  readonly data: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: RGB = [255, 255, 255],
  ) {
    if (!(width > 0 && height > 0) || width * height > 50_000_000) {
      throw new Error(`image of ${width}×${height} pixels is empty or too large`);
    }
    this.data = new Uint8Array(width * height * 3);
    this.fillRect(0, 0, width, height, background);
  }

  fillRect(x: number, y: number, w: number, h: number, color: RGB): void {
    const x0 = Math.max(0, x);
    const y0 = Math.max(0, y);
    const x1 = Math.min(this.width, x + w);
    const y1 = Math.min(this.height, y + h);
    for (let yy = y0; yy < y1; yy++) {
      for (let xx = x0; xx < x1; xx++) {
        const i = (yy * this.width + xx) * 3;
        this.data[i] = color[0];
        this.data[i + 1] = color[1];
        this.data[i + 2] = color[2];
      }
    }
  }

  /** A border `thickness` pixels wide around the box (x, y, w, h), drawn outside it. */
  outline(x: number, y: number, w: number, h: number, color: RGB, thickness: number): void {
    const t = thickness;
    this.fillRect(x - t, y - t, w + 2 * t, t, color);
    this.fillRect(x - t, y + h, w + 2 * t, t, color);
    this.fillRect(x - t, y, t, h, color);
    this.fillRect(x + w, y, t, h, color);
  }

  /** Draws grey levels 0…255 (row-major w×h) at (x, y), each pixel as a scale×scale block. */
  drawGrey(grey: Uint8Array, w: number, h: number, x: number, y: number, scale: number): void {
    for (let row = 0; row < h; row++) {
      for (let col = 0; col < w; col++) {
        const v = grey[row * w + col]!;
        this.fillRect(x + col * scale, y + row * scale, scale, scale, [v, v, v]);
      }
    }
  }

  toPNG(): Uint8Array {
    return encode({ width: this.width, height: this.height, data: this.data, channels: 3, depth: 8 });
  }
}
