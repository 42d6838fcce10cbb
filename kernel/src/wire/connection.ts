/** The Jupyter connection file: where the five channels live and how messages are signed. */
import { readFileSync } from "node:fs";

export type Channel = "shell" | "control" | "iopub" | "stdin" | "hb";

export interface ConnectionInfo {
  transport: "tcp" | "ipc";
  ip: string;
  shell_port: number;
  control_port: number;
  iopub_port: number;
  stdin_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
  kernel_name?: string;
}

/** Reads and checks a connection file; the error names the file and the bad field. */
export function readConnectionFile(path: string): ConnectionInfo {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`cannot read connection file ${path}: ${(e as Error).message}`);
  }
  const info = raw as Partial<ConnectionInfo>;
  const problem = connectionProblem(info);
  if (problem) throw new Error(`connection file ${path}: ${problem}`);
  return {
    ...(info as ConnectionInfo),
    transport: info.transport ?? "tcp",
    key: info.key ?? "",
    signature_scheme: info.signature_scheme ?? "hmac-sha256",
  };
}

function connectionProblem(info: Partial<ConnectionInfo>): string | undefined {
  if (typeof info !== "object" || info === null) return "not a JSON object";
  if (info.transport !== undefined && info.transport !== "tcp" && info.transport !== "ipc")
    return `unknown transport ${JSON.stringify(info.transport)} (expected "tcp" or "ipc")`;
  if (typeof info.ip !== "string") return "missing ip";
  for (const port of ["shell_port", "control_port", "iopub_port", "stdin_port", "hb_port"] as const) {
    if (typeof info[port] !== "number") return `missing ${port}`;
  }
  return undefined;
}

/** The zeromq endpoint of one channel: tcp://ip:port or ipc://ip-port (jupyter_client's convention). */
export function endpoint(info: ConnectionInfo, channel: Channel): string {
  const port = info[`${channel}_port` as const];
  return info.transport === "ipc" ? `ipc://${info.ip}-${port}` : `tcp://${info.ip}:${port}`;
}
