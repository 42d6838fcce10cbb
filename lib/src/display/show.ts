import { DISPLAY, isDisplayable, type MimeBundle } from "./bundle.js";
import { kernelHost } from "./host.js";
import { showInTerminal } from "./terminal.js";
import { inspect } from "node:util";

/** The bundle a value shows as: its own, or util.inspect text. */
export function toBundle(value: unknown): MimeBundle {
  if (isDisplayable(value)) return value[DISPLAY]();
  return { "text/plain": inspect(value, { colors: false }) };
}

let handleCounter = 0;

/**
 * An output that can be replaced in place (update_display_data in a notebook;
 * a new line or file in a terminal).
 */
export class DisplayHandle {
  readonly id = `mnist-lab-${process.pid}-${Date.now().toString(36)}-${++handleCounter}`;

  constructor(value: unknown) {
    emit(toBundle(value), { id: this.id });
  }

  update(value: unknown): void {
    emit(toBundle(value), { id: this.id, update: true });
  }
}

function emit(bundle: MimeBundle, options: { id?: string; update?: boolean }): void {
  const host = kernelHost();
  if (host) host.display(bundle, options);
  else showInTerminal(bundle);
}

/** Shows a value now (in the cell's output, or in the terminal). */
export function show(value: unknown): void {
  emit(toBundle(value), {});
}

/** Shows a value and returns a handle to update it in place. */
export function showUpdatable(value: unknown): DisplayHandle {
  return new DisplayHandle(value);
}
