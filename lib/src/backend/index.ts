import { registerWasmTrainingKernels } from "./kernels/register.js";

export { ready, backendInfo, BACKEND_ENV } from "./choose.js";
export { type BackendInfo, type BackendName, backendInfoText } from "./info.js";
export { THREADS_ENV as WASM_THREADS_ENV } from "./wasm-threads.js";
export { registerWasmTrainingKernels };

// Registered on import too, so that code which trains on tfjs's default
// backend (wasm, priority 2) without awaiting ready() still finds them.
registerWasmTrainingKernels();
