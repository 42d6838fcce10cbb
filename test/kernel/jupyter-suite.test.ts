// The Jupyter project's own kernel test suite (python3-jupyter-kernel-test) against the installed kernelspec.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { DEBIAN_PYTHON, pythonHasModule, requireTool } from "../support/tools.js";
import { tempJupyter } from "./kernelspec.js";

const available = requireTool("jupyter_kernel_test (python3-jupyter-kernel-test)", pythonHasModule("jupyter_kernel_test"));

describe.skipIf(!available)("jupyter_kernel_test", () => {
  it("passes every test, none skipped, and survives interrupt/restart by jupyter_client", () => {
    const jupyter = tempJupyter();
    try {
      const r = spawnSync(DEBIAN_PYTHON, ["-m", "unittest", "-v", "jupyter_kernel_test_suite"], {
        cwd: __dirname, env: jupyter.env, encoding: "utf8", timeout: 110_000,
      });
      const report = r.stderr;
      expect(report, report).toMatch(/^OK$/m);
      expect(report).not.toMatch(/skipped/i);
      expect(r.status).toBe(0);
      const ran = Number(/Ran (\d+) tests/.exec(report)?.[1]);
      // 12 from jupyter_kernel_test.KernelTests + 2 KernelManager tests (interrupt/restart, stdin)
      expect(ran).toBe(14);
      expect(report.match(/ \.\.\. ok$/gm)).toHaveLength(14);
    } finally {
      jupyter.dispose();
    }
  });
});
