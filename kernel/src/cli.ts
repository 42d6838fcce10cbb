#!/usr/bin/env node
/**
 * The `mnist-lab` command:
 *   mnist-lab kernel <connection_file>     run the Jupyter kernel (what kernel.json starts)
 *   mnist-lab install [--user|--sys-prefix|--prefix DIR]   write the kernelspec
 *   mnist-lab uninstall [same options]     remove it
 *   mnist-lab run …                        the headless notebook runner
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

const USAGE = `usage:
  mnist-lab kernel <connection_file>
  mnist-lab install [--user | --sys-prefix | --prefix DIR]
  mnist-lab uninstall [--user | --sys-prefix | --prefix DIR]
  mnist-lab run [args…]`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "kernel": {
      if (!rest[0]) throw new Error("mnist-lab kernel: missing the connection file argument");
      const { Kernel } = await import("./kernel/kernel.js");
      await Kernel.start(rest[0]);
      return -1; // keep running
    }
    case "install":
    case "uninstall": {
      const { installKernelspec, uninstallKernelspec, parseInstallArgs } = await import("./install/kernelspec.js");
      const where = parseInstallArgs(rest);
      const dir = command === "install" ? installKernelspec(where) : uninstallKernelspec(where);
      console.log(command === "install" ? `installed kernelspec mnist-lab in ${dir}` : dir ? `removed ${dir}` : "kernelspec mnist-lab was not installed");
      return 0;
    }
    case "run": {
      const runner = join(__dirname, "runner", "cli.js");
      if (!existsSync(runner)) throw new Error(`mnist-lab run: the notebook runner is not built (${runner} is missing); run \`npm run build\``);
      const result = await require(runner).main(rest);
      return typeof result === "number" ? result : 0;
    }
    case undefined:
    case "-h":
    case "--help":
      console.log(USAGE);
      return command ? 0 : 2;
    default:
      console.error(`mnist-lab: unknown command ${JSON.stringify(command)}\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => { if (code >= 0) process.exitCode = code; },
  (error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
