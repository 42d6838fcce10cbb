/** The kernel package's public API: the protocol client (used by the notebook runner) and the wire types. */
export { KernelClient } from "./client/index.js";
export type { ExecuteOptions, ExecuteResult, StartOptions } from "./client/index.js";
export type { NbOutput } from "./client/outputs.js";
export type { ConnectionInfo, JupyterMessage, MessageHeader } from "./wire/index.js";
export { installKernelspec, uninstallKernelspec, kernelJson } from "./install/kernelspec.js";
