/**
 * Seeded data augmentation for the improved recipe: a random shift of a few
 * pixels and a small rotation about the centre, sampled bilinearly from the
 * uint8 image straight into the normalized float batch (no extra copy).
 */
import type { Random } from "./rng.js";

export interface AugmentOptions {
  /** Largest shift in pixels, each axis, whole pixels (default 2). */
  maxShift?: number;
  /** Largest rotation in degrees, either way (default 10). */
  maxRotationDeg?: number;
  /** Seed for the random transforms (default: the batch seed). */
  seed?: number;
}

export interface Transform {
  dx: number;
  dy: number;
  angleRad: number;
}

export function randomTransform(options: AugmentOptions, random: Random): Transform {
  const maxShift = Math.max(0, Math.floor(options.maxShift ?? 2));
  const maxRotation = Math.max(0, options.maxRotationDeg ?? 10);
  const shift = () => Math.floor(random() * (2 * maxShift + 1)) - maxShift;
  const dx = shift();
  const dy = shift();
  const angleRad = ((random() * 2 - 1) * maxRotation * Math.PI) / 180;
  return { dx, dy, angleRad };
}

/**
 * Writes the transformed image (grey × scale + offset) into out[outOffset…].
 * Pixels that come from outside the source are background (grey 0).
 */
export function transformInto(
  src: Uint8Array, srcOffset: number, height: number, width: number,
  t: Transform, scale: number, offset: number,
  out: Float32Array, outOffset: number,
): void {
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const cos = Math.cos(t.angleRad);
  const sin = Math.sin(t.angleRad);
  const grey = (x: number, y: number) =>
    x < 0 || y < 0 || x >= width || y >= height ? 0 : src[srcOffset + y * width + x];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Inverse map: undo the shift, then rotate back by -angle about the centre.
      const px = x - t.dx - cx;
      const py = y - t.dy - cy;
      const sx = cos * px + sin * py + cx;
      const sy = -sin * px + cos * py + cy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const value =
        (1 - fy) * ((1 - fx) * grey(x0, y0) + fx * grey(x0 + 1, y0)) +
        fy * ((1 - fx) * grey(x0, y0 + 1) + fx * grey(x0 + 1, y0 + 1));
      out[outOffset + y * width + x] = value * scale + offset;
    }
  }
}
