/**
 * mnist-lab: the library the notebooks import. Each area exports from its own folder.
 */
export * from "./display/index.js";
export { writeFileAtomic } from "./util/atomic-write.js";
