export { DISPLAY, isDisplayable, bundleValue, type MimeBundle, type Displayable } from "./bundle.js";
export { KERNEL_HOST, kernelHost, currentSignal, type KernelHost, type DisplayOptions } from "./host.js";
export { show, showUpdatable, toBundle, DisplayHandle } from "./show.js";
export { outputDir } from "./terminal.js";
export { table, Table, type TableOptions } from "./table.js";
