// `jupyter console --kernel mnist-lab` (Debian's jupyter-console) against the installed kernelspec,
// fed cells on stdin as a user would type them (it prints results on stdout, errors on stderr).
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { DEBIAN_PYTHON, pythonHasModule, requireTool } from "../support/tools.js";
import { tempJupyter } from "./kernelspec.js";

const available = requireTool("jupyter console (jupyter-console)", pythonHasModule("jupyter_console"));

describe.skipIf(!available)("jupyter console", () => {
  it("runs cells typed at the prompt: results, output and type errors", () => {
    const jupyter = tempJupyter();
    try {
      const cells = ['const s: string = "ab"; s.length * 21', 'console.log(s + "c")', 'const n: number = "x"'];
      const r = spawnSync(
        DEBIAN_PYTHON,
        ["-m", "jupyter", "console", "--kernel", "mnist-lab", "--simple-prompt", "--no-confirm-exit"],
        { env: jupyter.env, input: cells.join("\n") + "\n", encoding: "utf8", timeout: 60_000 },
      );
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^mnist-lab .*TypeScript/m); // our banner
      expect(r.stdout).toContain("Out[1]: 42");
      expect(r.stdout).toMatch(/In \[2\]: abc$/m);
      expect(r.stderr).toMatch(/line 1:7 - error TS2322: Type 'string' is not assignable to type 'number'/);
      expect(r.stdout).toContain("Shutting down kernel");
    } finally {
      jupyter.dispose();
    }
  });
});
