/** Messages between the compiler (main thread) and its worker. */
export interface CellDiagnostic {
  /** 0-based line and column in the cell. */
  line: number;
  column: number;
  message: string;
  code: number;
}

export interface CompiledCell {
  js: string;
  declarations: string;
  lastExpressionVar?: string;
  hasTopLevelAwait: boolean;
  /** Source maps: final JS → ES-module JS, and ES-module JS → the cell (one line of prefix). */
  finalMap?: string;
  stageOneMap?: string;
  /** CommonJS of local .ts files the cell imports (`./helpers`), by absolute .js path. */
  sideOutputs?: { path: string; data: string }[];
}

export type CompileResult = { ok: true; cell: CompiledCell } | { ok: false; diagnostics: CellDiagnostic[] };

export interface Completion { start: number; end: number; matches: string[] }
export interface Inspection { signature: string; documentation: string }
export interface Completeness { status: "complete" | "incomplete" | "invalid"; indent?: string }

export type Request =
  | { op: "compile"; src: string }
  | { op: "commit"; declarations: string }
  | { op: "complete"; src: string; position: number }
  | { op: "inspect"; src: string; position: number }
  | { op: "isComplete"; src: string }
  | { op: "reset" };

export type Envelope = { id: number } & Request;
export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
