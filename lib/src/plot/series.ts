/** Series helpers: smoothing per-batch noise and downsampling long series. */

/**
 * Exponential moving average with bias correction (as TensorBoard's smoothing
 * slider): `weight` 0 keeps the raw values, 0.99 is very smooth.
 */
export function smooth(values: readonly number[], weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) throw new Error(`smoothing must be in [0, 1), got ${weight}`);
  const out: number[] = [];
  let last = 0;
  let debias = 1;
  for (const value of values) {
    last = last * weight + (1 - weight) * value;
    debias *= weight;
    out.push(weight === 0 ? value : last / (1 - debias));
  }
  return out;
}

/**
 * Largest-Triangle-Three-Buckets: keeps `threshold` points that preserve the
 * visual shape of a line (peaks and dips), always the first and the last.
 */
export function downsampleLTTB<T>(points: readonly T[], threshold: number, x: (p: T) => number, y: (p: T) => number): T[] {
  const n = points.length;
  if (threshold >= n || threshold < 3) return threshold < 3 && n > threshold ? points.slice(0, Math.max(threshold, 0)) : points.slice();
  const sampled: T[] = [points[0]!];
  const bucket = (n - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    const nextStart = Math.floor((i + 1) * bucket) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * bucket) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += x(points[j]!);
      avgY += y(points[j]!);
    }
    const count = Math.max(nextEnd - nextStart, 1);
    avgX /= count;
    avgY /= count;
    const start = Math.floor(i * bucket) + 1;
    const end = Math.floor((i + 1) * bucket) + 1;
    const ax = x(points[a]!);
    const ay = y(points[a]!);
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((ax - avgX) * (y(points[j]!) - ay) - (ax - x(points[j]!)) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    sampled.push(points[best]!);
    a = best;
  }
  sampled.push(points[n - 1]!);
  return sampled;
}

/** Evenly spaced rows (first and last kept), for rows that are not x/y points. */
export function downsampleEvenly<T>(rows: readonly T[], max: number): T[] {
  if (rows.length <= max) return rows.slice();
  if (max <= 1) return rows.slice(-Math.max(max, 0));
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(rows[Math.round((i * (rows.length - 1)) / (max - 1))]!);
  return out;
}

/**
 * Downsamples rows grouped by `seriesOf` so the total stays ≤ `max`: each
 * series gets a share of the budget proportional to its length.
 */
export function downsampleSeries<T>(rows: readonly T[], max: number, seriesOf: (row: T) => string, x?: (row: T) => number, y?: (row: T) => number): T[] {
  if (rows.length <= max) return rows.slice();
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = seriesOf(row);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(row);
  }
  const out: T[] = [];
  for (const group of groups.values()) {
    const share = Math.max(3, Math.floor((max * group.length) / rows.length));
    out.push(...(x && y ? downsampleLTTB(group, share, x, y) : downsampleEvenly(group, share)));
  }
  return out.length <= max ? out : downsampleEvenly(out, max);
}
