// `mnist-lab install` / `uninstall` write and remove the kernelspec without Python; Jupyter sees it.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEBIAN_PYTHON, pythonHasModule, requireTool } from "../support/tools.js";
import { CLI } from "./kernelspec.js";

function cli(args: string[], env: NodeJS.ProcessEnv): string {
  return execFileSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, encoding: "utf8" });
}

describe("mnist-lab install", () => {
  const root = mkdtempSync(join(tmpdir(), "mnist-lab-install-"));

  it("writes kernel.json with absolute paths and logos into JUPYTER_DATA_DIR (--user)", () => {
    const env = { JUPYTER_DATA_DIR: join(root, "user") };
    expect(cli(["install", "--user"], env)).toMatch(/installed kernelspec mnist-lab/);
    const dir = join(root, "user", "kernels", "mnist-lab");
    const spec = JSON.parse(readFileSync(join(dir, "kernel.json"), "utf8"));
    expect(spec).toMatchObject({ display_name: "TypeScript (mnist-lab)", language: "typescript", interrupt_mode: "message" });
    expect(spec.argv).toEqual([process.execPath, CLI, "kernel", "{connection_file}"]);
    for (const logo of ["logo-32x32.png", "logo-64x64.png"]) {
      expect(readFileSync(join(dir, logo)).subarray(1, 4).toString()).toBe("PNG");
    }
    cli(["uninstall", "--user"], env);
    expect(existsSync(dir)).toBe(false);
  });

  it("honours --prefix and --sys-prefix", () => {
    cli(["install", "--prefix", join(root, "prefix")], {});
    expect(existsSync(join(root, "prefix", "share", "jupyter", "kernels", "mnist-lab", "kernel.json"))).toBe(true);
    cli(["install", "--sys-prefix"], { VIRTUAL_ENV: join(root, "venv") });
    expect(existsSync(join(root, "venv", "share", "jupyter", "kernels", "mnist-lab", "kernel.json"))).toBe(true);
    cli(["uninstall", "--prefix", join(root, "prefix")], {});
    expect(existsSync(join(root, "prefix", "share", "jupyter", "kernels", "mnist-lab"))).toBe(false);
  });

  it("rejects unknown options with a clear message", () => {
    expect(() => execFileSync(process.execPath, [CLI, "install", "--global"], { stdio: "pipe" })).toThrow(/unknown option "--global"/);
  });

  const hasJupyter = requireTool("jupyter_client (python3)", pythonHasModule("jupyter_client"));
  it.skipIf(!hasJupyter)("is listed by `jupyter kernelspec list`", () => {
    const env = { ...process.env, JUPYTER_DATA_DIR: join(root, "listed"), JUPYTER_PATH: join(root, "listed") };
    cli(["install"], env);
    const out = execFileSync(DEBIAN_PYTHON, ["-m", "jupyter", "kernelspec", "list", "--json"], { env, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    expect(JSON.parse(out).kernelspecs["mnist-lab"].spec.display_name).toBe("TypeScript (mnist-lab)");
    rmSync(root, { recursive: true, force: true });
  });
});
