/** Shapes as Keras prints them: (None, 26, 26, 32). */
export type Shape = ReadonlyArray<number | null>;

export function formatShape(shape: Shape | Shape[] | undefined): string {
  if (shape === undefined) return "?";
  if (shape.length > 0 && Array.isArray(shape[0])) return (shape as Shape[]).map(formatShape).join(", ");
  const dims = (shape as Shape).map((d) => (d === null || d === undefined ? "None" : String(d)));
  return `(${dims.join(", ")}${dims.length === 1 ? "," : ""})`;
}

/** Equal ignoring the batch dimension (the first). */
export function sameFeatureShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 1; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function product(dims: ReadonlyArray<number | null>): number {
  return dims.reduce<number>((p, d) => p * (d ?? 1), 1);
}
