/**
 * Validation against the official nbformat 4.5 JSON schema (copied from
 * nbformat into kernel/assets/nbformat, BSD-3-Clause). The schema is draft-04;
 * the keywords it uses mean the same in Ajv's default draft, so only its
 * "$schema" line is dropped before compiling.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";

export const NBFORMAT_SCHEMA_PATH = join(__dirname, "..", "..", "assets", "nbformat", "nbformat.v4.5.schema.json");

let validator: ValidateFunction | undefined;

function compile(): ValidateFunction {
  const schema = JSON.parse(readFileSync(NBFORMAT_SCHEMA_PATH, "utf8")) as Record<string, unknown>;
  delete schema.$schema;
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || "(notebook)";
  const extra = error.keyword === "additionalProperties" ? ` "${(error.params as { additionalProperty: string }).additionalProperty}"` : "";
  return `${where} ${error.message ?? error.keyword}${extra}`;
}

/** The schema errors in `notebook` ([] when it is valid nbformat 4.5). */
export function nbformatErrors(notebook: unknown): string[] {
  validator ??= compile();
  if (validator(notebook)) return [];
  return (validator.errors ?? []).slice(0, 10).map(describe);
}
