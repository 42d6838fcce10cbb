/** `mnist-lab install` / `uninstall`: the kernelspec folder `mnist-lab` in a Jupyter data dir. */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { dataSearchPath, prefixDataDir, sysPrefixDataDir, userDataDir } from "./jupyter-paths.js";

export const KERNEL_NAME = "mnist-lab";

export type InstallTarget = { kind: "user" } | { kind: "sys-prefix" } | { kind: "prefix"; dir: string } | { kind: "default" };

export function parseInstallArgs(args: string[]): InstallTarget {
  let target: InstallTarget = { kind: "default" };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--user") target = { kind: "user" };
    else if (a === "--sys-prefix") target = { kind: "sys-prefix" };
    else if (a === "--prefix" || a.startsWith("--prefix=")) {
      const dir = a.includes("=") ? a.slice(a.indexOf("=") + 1) : args[++i];
      if (!dir) throw new Error("--prefix needs a directory");
      target = { kind: "prefix", dir: resolve(dir) };
    } else throw new Error(`unknown option ${JSON.stringify(a)} (expected --user, --sys-prefix or --prefix DIR)`);
  }
  return target;
}

function dataDir(target: InstallTarget): string {
  switch (target.kind) {
    case "sys-prefix": return sysPrefixDataDir();
    case "prefix": return prefixDataDir(target.dir);
    default: return userDataDir(); // like `jupyter kernelspec install --user`: no root needed
  }
}

export function kernelJson(): object {
  return {
    argv: [process.execPath, resolve(__dirname, "..", "cli.js"), "kernel", "{connection_file}"],
    display_name: "TypeScript (mnist-lab)",
    language: "typescript",
    interrupt_mode: "message",
    env: {},
    metadata: { debugger: false },
  };
}

/** Writes kernels/mnist-lab (kernel.json and logos) atomically; returns its path. */
export function installKernelspec(target: InstallTarget): string {
  const kernels = join(dataDir(target), "kernels");
  const dir = join(kernels, KERNEL_NAME);
  const staging = join(kernels, `.${KERNEL_NAME}-${process.pid}`);
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, "kernel.json"), JSON.stringify(kernelJson(), null, 2) + "\n");
  const assets = resolve(__dirname, "..", "..", "assets");
  for (const logo of ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"]) {
    if (existsSync(join(assets, logo))) copyFileSync(join(assets, logo), join(staging, logo));
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return dir;
}

/** Removes our kernelspec from the target dir (or, by default, from every dir Jupyter searches that holds ours). */
export function uninstallKernelspec(target: InstallTarget): string | undefined {
  const dirs = target.kind === "default" ? dataSearchPath() : [dataDir(target)];
  const removed: string[] = [];
  for (const d of dirs) {
    const dir = join(d, "kernels", KERNEL_NAME);
    if (!isOurs(dir)) continue;
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed.length ? removed.join(", ") : undefined;
}

function isOurs(dir: string): boolean {
  try {
    const spec = JSON.parse(readFileSync(join(dir, "kernel.json"), "utf8"));
    return Array.isArray(spec.argv) && spec.argv.includes("kernel") && spec.display_name === "TypeScript (mnist-lab)";
  } catch {
    return false;
  }
}
