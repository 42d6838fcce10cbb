/**
 * Entry point of a Node worker thread serving as a pthread of the threaded
 * wasm build. tfjs ships the emscripten pthread worker as a string and starts
 * it from a Blob URL, which Node's Worker cannot load; the main thread is
 * pointed at this file instead (see wasm-threads.ts). The worker then needs
 * the module's JavaScript factory, which arrives as a Blob too: we hand it the
 * same factory from its file in the package.
 */
import * as path from "node:path";

const packageDir = path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json"));
const factoryFile = path.join(packageDir, "wasm-out/tfjs-backend-wasm-threaded-simd.js");
const { wasmWorkerContents } = require(path.join(packageDir, "wasm-out/tfjs-backend-wasm-threaded-simd.worker.js")) as {
  wasmWorkerContents: string;
};

URL.createObjectURL = () => factoryFile;
URL.revokeObjectURL = () => undefined;
// The emscripten worker script expects script-global require/__filename.
Object.assign(globalThis, { require, __filename: factoryFile });
// Its source keeps "\n" escapes that the template string turned into newlines.
(0, eval)(wasmWorkerContents.replace(/\n/g, "\\n"));
