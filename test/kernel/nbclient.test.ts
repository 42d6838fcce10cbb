// nbclient (python3-nbclient) runs a small notebook through the installed kernelspec.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEBIAN_PYTHON, pythonHasModule, requireTool } from "../support/tools.js";
import { tempJupyter } from "./kernelspec.js";

const available = requireTool("nbclient (python3-nbclient)", pythonHasModule("nbclient"));

/** nbformat stores multi-line strings as lists of lines. */
const joined = (v: string | string[]) => (Array.isArray(v) ? v.join("") : v);
const cell = (source: string) => ({ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source });

describe.skipIf(!available)("nbclient", () => {
  it("executes a notebook with the mnist-lab kernel", () => {
    const jupyter = tempJupyter();
    try {
      const nb = {
        nbformat: 4, nbformat_minor: 5,
        metadata: { kernelspec: { name: "mnist-lab", display_name: "TypeScript (mnist-lab)", language: "typescript" } },
        cells: [
          cell('const greeting: string = "hello";\nconsole.log(greeting);'),
          cell("const h = display.markdown('**1**');\nh.update('**2**');\ngreeting.length"),
          cell('import { show } from "mnist-lab";\ntypeof show'),
        ],
      };
      const file = join(jupyter.dataDir, "..", "small.ipynb");
      writeFileSync(file, JSON.stringify(nb));
      const script = [
        "import nbformat, sys",
        "from nbclient import NotebookClient",
        "nb = nbformat.read(sys.argv[1], as_version=4)",
        "NotebookClient(nb, timeout=60, kernel_name='mnist-lab').execute()",
        "nbformat.write(nb, sys.argv[1])",
      ].join("\n");
      const r = spawnSync(DEBIAN_PYTHON, ["-c", script, file], { env: jupyter.env, encoding: "utf8", timeout: 110_000 });
      expect(r.status, r.stderr).toBe(0);
      const done = JSON.parse(readFileSync(file, "utf8"));
      const outputs = done.cells.map((c: { outputs: unknown[] }) => c.outputs);
      expect(outputs[0]).toHaveLength(1);
      expect(outputs[0][0]).toMatchObject({ output_type: "stream", name: "stdout" });
      expect(joined(outputs[0][0].text)).toBe("hello\n");
      expect(joined(outputs[1][0].data["text/markdown"])).toBe("**2**");
      expect(outputs[1][1]).toMatchObject({ output_type: "execute_result", execution_count: 2 });
      expect(joined(outputs[1][1].data["text/plain"])).toBe("5");
      expect(joined(outputs[2][0].data["text/plain"])).toBe("'function'");
      expect(done.cells.map((c: { execution_count: number }) => c.execution_count)).toEqual([1, 2, 3]);
    } finally {
      jupyter.dispose();
    }
  });
});
