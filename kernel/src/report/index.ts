export { renderReport, type ReportOptions } from "./render.js";
export { writeReport, writeFileAtomically } from "./write.js";
export * from "./notebook.js";
