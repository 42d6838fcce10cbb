/** Shared spec pieces and input checks for the chart builders. */
export const PANEL_WIDTH = 360;
export const PANEL_HEIGHT = 220;

/** Vega-Lite options that keep charts legible in notebooks and HTML exports. */
export const BASE_CONFIG = {
  view: { stroke: "#ddd" },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: "bottom", labelLimit: 0 },
  title: { fontSize: 14, anchor: "start" },
} as const;

export function checkFinite(what: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new Error(`${what}[${i}] is ${values[i]}: expected a finite number`);
  }
}

export function checkLabels(what: string, count: number, classNames: readonly string[]): void {
  if (count !== classNames.length) {
    throw new Error(`${what}: ${count} values but ${classNames.length} class names; they must match`);
  }
}

/** ".0%" when all values look like fractions, else Vega's default. */
export function fractionFormat(values: readonly number[]): { format?: string } {
  return values.length > 0 && values.every((v) => v >= 0 && v <= 1) ? { format: ".0%" } : {};
}

/**
 * Histories count epochs from 0 (like Keras); charts show them from 1, as
 * people say "epoch 1" for the first one.
 */
export const displayEpoch = (epoch: number): number => epoch + 1;

/**
 * An x axis with whole-number ticks only: explicit tick values (1, 2, 5, 10, …
 * apart, at most `maxTicks`), so a short range never gets 0.5 steps that an
 * integer format prints twice ("0, 1, 1").
 */
export function integerAxis(values: readonly number[], title: string, maxTicks = 10): object {
  const whole = values.filter(Number.isFinite).map(Math.round);
  const lo = whole.length ? Math.min(...whole) : 0;
  const hi = whole.length ? Math.max(...whole) : 0;
  let step = 1;
  for (let magnitude = 1; (hi - lo) / step >= maxTicks; magnitude *= 10) {
    step = [1, 2, 5].map((f) => f * magnitude).find((s) => (hi - lo) / s < maxTicks) ?? 10 * magnitude;
  }
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) ticks.push(t);
  return { title, tickMinStep: 1, format: "d", values: ticks };
}
