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
