/**
 * The parts of nbformat 4 (https://nbformat.readthedocs.io) that the runner
 * and the report writer read and write. Multiline strings may be a string or
 * a list of lines, as the format allows.
 */
export type MultilineString = string | string[];
export type MimeData = Record<string, unknown>;

export interface StreamOutput {
  output_type: "stream";
  name: "stdout" | "stderr";
  text: MultilineString;
}
export interface DisplayDataOutput {
  output_type: "display_data";
  data: MimeData;
  metadata: Record<string, unknown>;
  transient?: Record<string, unknown>;
}
export interface ExecuteResultOutput {
  output_type: "execute_result";
  execution_count: number | null;
  data: MimeData;
  metadata: Record<string, unknown>;
}
export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

export interface CodeCell {
  cell_type: "code";
  id?: string;
  source: MultilineString;
  metadata: Record<string, unknown>;
  execution_count: number | null;
  outputs: Output[];
}
export interface MarkdownCell {
  cell_type: "markdown";
  id?: string;
  source: MultilineString;
  metadata: Record<string, unknown>;
  attachments?: Record<string, MimeData>;
}
export interface RawCell {
  cell_type: "raw";
  id?: string;
  source: MultilineString;
  metadata: Record<string, unknown>;
}
export type Cell = CodeCell | MarkdownCell | RawCell;

/** What the runner notes about the run that produced a notebook's outputs. */
export interface RunMetadata {
  date: string;
  backend?: string;
  machine?: string;
  quick?: boolean;
  durationSeconds?: number;
}

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown> & {
    title?: string;
    kernelspec?: { name: string; display_name: string; language?: string };
    language_info?: Record<string, unknown>;
    "mnist-lab"?: RunMetadata;
  };
  cells: Cell[];
}

export function joinSource(text: MultilineString | undefined): string {
  if (text === undefined) return "";
  return Array.isArray(text) ? text.join("") : text;
}

/** Splits text into nbformat's list-of-lines form (each line keeps its "\n"). */
export function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === "" ? [] : lines;
}

/** The notebook's title: metadata.title, else its first Markdown heading, else the fallback. */
export function notebookTitle(notebook: Notebook, fallback: string): string {
  if (typeof notebook.metadata.title === "string" && notebook.metadata.title) return notebook.metadata.title;
  for (const cell of notebook.cells) {
    if (cell.cell_type !== "markdown") continue;
    const heading = /^#{1,6}\s+(.+)$/m.exec(joinSource(cell.source));
    if (heading) return heading[1]!.trim();
  }
  return fallback;
}
