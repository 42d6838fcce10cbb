/**
 * MIME bundles and the display protocol (Deno's convention): any value with a
 * `[Symbol.for("Jupyter.display")]()` method returning a MIME bundle shows itself.
 */
export type MimeBundle = Record<string, unknown>;

/** The well-known symbol a displayable value implements. */
export const DISPLAY = Symbol.for("Jupyter.display");

export interface Displayable {
  [DISPLAY](): MimeBundle;
}

export function isDisplayable(value: unknown): value is Displayable {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as Partial<Displayable>)[DISPLAY] === "function"
  );
}

/** Wraps a ready bundle so it can be passed wherever a displayable is expected. */
export function bundleValue(bundle: MimeBundle): Displayable {
  return { [DISPLAY]: () => bundle };
}
