/**
 * Our wasm kernels are committed as binaries (users need no C toolchain).
 * This rebuilds them from lib/native/*.c with clang and checks the committed
 * files are exactly what the sources produce, and that neither has a data
 * segment or a global (they run inside tfjs's memory, owning none of it).
 */
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireTool } from "../../support/tools.js";

const NATIVE = join(__dirname, "../../../lib/native");
const TOOLS = ["/usr/bin/clang", "/usr/bin/wasm-ld", "/usr/bin/wasm-objdump"];
const haveTools = requireTool("clang, lld and wabt (apt-get install clang lld wabt)", TOOLS.every(existsSync));

describe.skipIf(!haveTools)("native wasm kernels", () => {
  it("the committed kernels.wasm and kernels-shared.wasm are what lib/native/build.sh makes of the sources", () => {
    const out = mkdtempSync(join(tmpdir(), "mnist-lab-native-"));
    try {
      execFileSync(join(NATIVE, "build.sh"), [out], { stdio: "pipe" });
      for (const file of ["kernels.wasm", "kernels-shared.wasm"]) {
        const built = readFileSync(join(out, file));
        const committed = readFileSync(join(NATIVE, file));
        expect(Buffer.compare(built, committed), `${file} is stale: run lib/native/build.sh and commit it`).toBe(0);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it.each(["kernels.wasm", "kernels-shared.wasm"])("%s imports memory only, and has no data segment and no globals in use", (file) => {
    const path = join(NATIVE, file);
    const headers = execFileSync("/usr/bin/wasm-objdump", ["-x", path], { encoding: "utf8" });
    expect(headers).toMatch(/memory\[0\] pages: .*<- env\.memory/);
    expect(headers).not.toMatch(/^Data\[/m);
    expect(headers.includes("shared")).toBe(file === "kernels-shared.wasm");
    const code = execFileSync("/usr/bin/wasm-objdump", ["-d", path], { encoding: "utf8", maxBuffer: 512 * 2 ** 20 });
    expect(code).not.toMatch(/global\.(get|set)/);
  });
});
