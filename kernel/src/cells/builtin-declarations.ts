/** Type declarations of the built-ins every cell sees (defined at run time by display/builtins.ts). */
export const BUILTIN_DECLARATIONS = `
declare global {
  /** A shown output that can be replaced in place. */
  interface DisplayHandle {
    readonly id: string;
    /** Replaces the output shown by this handle. */
    update(value: unknown): void;
  }
  interface DisplayOptions { id?: string; metadata?: Record<string, unknown> }
  interface DisplayFunction {
    /** Shows a value: a MIME bundle, anything with [Symbol.for("Jupyter.display")](), or text/plain via util.inspect. */
    (value: unknown, options?: DisplayOptions): DisplayHandle;
    html(html: string, options?: DisplayOptions): DisplayHandle;
    markdown(markdown: string, options?: DisplayOptions): DisplayHandle;
    svg(svg: string, options?: DisplayOptions): DisplayHandle;
    /** PNG bytes or base64 text. */
    png(png: Uint8Array | string, options?: DisplayOptions): DisplayHandle;
    json(value: unknown, options?: DisplayOptions): DisplayHandle;
  }
  /** Shows a value in the cell's output. */
  const display: DisplayFunction;
  /** Clears the cell's output; with wait, only when the next output arrives. */
  function clearOutput(options?: { wait?: boolean }): void;
  /** Asks the user for a line of text (the frontend must allow stdin). */
  function input(prompt?: string, options?: { password?: boolean }): Promise<string>;
}
`;
