/**
 * mnist-lab: the library the notebooks import. Each area exports from its own folder.
 */
export * from "./display/index.js";
export { writeFileAtomic } from "./util/atomic-write.js";
export * from "./backend/index.js";
export * from "./data/index.js";
export * from "./plot/index.js";
export * from "./model/index.js";
export * from "./train/index.js";
export * from "./eval/index.js";
/** The library's own TensorFlow.js, so notebooks build layers on the same instance it trains with. */
export * as tf from "@tensorflow/tfjs";
