// How cells compile and run: declarations, await, imports from any folder, errors mapped to cell lines.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KernelClient, errorOf, eventually, result, text } from "./support.js";

// A notebook folder outside the repo: imports must still find mnist-lab and its types.
const notebookDir = mkdtempSync(join(tmpdir(), "mnist-lab-notebook-"));
let kc: KernelClient;
beforeAll(async () => {
  kc = await KernelClient.start({ cwd: notebookDir });
});
afterAll(async () => {
  await kc?.close();
  rmSync(notebookDir, { recursive: true, force: true });
});

describe("cells", () => {
  it("keeps declarations across cells and lets a cell declare the same names again", async () => {
    await kc.execute("const a = 1; let b = 2; class C { v = 3 } function f() { return 4 }");
    expect(result((await kc.execute("a + b + new C().v + f()")).outputs)).toBe("10");
    const again = await kc.execute("const a = 10; let b = 20; class C { v = 30 } function f() { return 40 }\na + b + new C().v + f()");
    expect(again.reply.content.status).toBe("ok");
    expect(result(again.outputs)).toBe("100");
    expect(result((await kc.execute("a")).outputs)).toBe("10");
  });

  it("supports top-level await", async () => {
    const r = await kc.execute("const v = await new Promise<number>((r) => setTimeout(() => r(7), 20));\nv * 6");
    expect(result(r.outputs)).toBe("42");
    expect(result((await kc.execute("v")).outputs)).toBe("7");
  });

  it("imports mnist-lab with its types from a notebook in any folder", async () => {
    const ok = await kc.execute('import { show } from "mnist-lab";\ntypeof show');
    expect(result(ok.outputs)).toBe("'function'");
    // the types are real: a wrong call is a type error
    const bad = await kc.execute('import { currentSignal } from "mnist-lab";\nconst n: number = currentSignal();');
    expect(errorOf(bad.outputs)?.evalue).toMatch(/not assignable to type 'number'/);
  });

  it("imports a local TypeScript file from the notebook's folder, with its types", async () => {
    writeFileSync(join(notebookDir, "helpers.ts"), "export function twice(n: number): number {\n  return 2 * n;\n}\n");
    const r = await kc.execute('import { twice } from "./helpers";\ntwice(21)');
    expect(result(r.outputs)).toBe("42");
    const bad = await kc.execute('twice("x")');
    expect(errorOf(bad.outputs)?.evalue).toMatch(/not assignable to parameter of type 'number'/);
  });

  it("reports a type error with line:col, the message and the source line", async () => {
    const r = await kc.execute('const ok = 1;\nconst s: string = 42;');
    expect(r.reply.content.status).toBe("error");
    const e = errorOf(r.outputs)!;
    expect(e.evalue).toBe("line 2:7: Type 'number' is not assignable to type 'string'.");
    expect(e.traceback.join("\n")).toContain("2 | const s: string = 42;");
    expect(r.outputs).toHaveLength(1);
  });

  it("does not block on diagnostics that only concern declaration emit", async () => {
    const r = await kc.execute('const tf = await import("@tensorflow/tfjs");\ntypeof tf.tensor');
    expect(errorOf(r.outputs)).toBeUndefined();
    expect(result(r.outputs)).toBe("'function'");
  });

  it("maps runtime tracebacks to the cell's own lines", async () => {
    await kc.execute("function thrower(x: number): number {\n  if (x > 0) {\n    throw new RangeError(`bad ${x}`);\n  }\n  return x;\n}");
    const r = await kc.execute("const z: number = 1;\n\nthrower(z);");
    const e = errorOf(r.outputs)!;
    expect(e.ename).toBe("RangeError");
    expect(e.evalue).toBe("bad 1");
    const tb = e.traceback.join("\n");
    expect(tb).toMatch(/at thrower \(Cell In\[\d+\], line 3:11\)/);
    expect(tb).toMatch(/at Cell In\[\d+\], line 3:1/);
    expect(tb).toContain("throw new RangeError(`bad ${x}`);");
  });

  it("maps frames of async functions too", async () => {
    const r = await kc.execute('async function g() {\n  await null;\n  throw new TypeError("async boom");\n}\nawait g();');
    const tb = errorOf(r.outputs)!.traceback.join("\n");
    expect(tb).toMatch(/at g \(Cell In\[\d+\], line 3:9\)/);
    expect(tb).toMatch(/at async Cell In\[\d+\], line 5:1/);
    expect(tb).not.toContain("mnist-lab-cell");
  });

  it("reports thrown non-Errors", async () => {
    const e = errorOf((await kc.execute('throw { code: 7 }')).outputs)!;
    expect(e.ename).toBe("Uncaught");
    expect(e.evalue).toBe("{ code: 7 }");
  });

  it("reports unhandled rejections and errors in timers without dying", async () => {
    const r = await kc.execute('Promise.reject(new Error("nobody awaits me"));\nsetTimeout(() => { throw new Error("timer boom") }, 10);\n"done"');
    expect(result(r.outputs)).toBe("'done'");
    await eventually(() => true, "");
    const after = await kc.execute('await new Promise((r) => setTimeout(r, 100)); "alive"');
    expect(result(after.outputs)).toBe("'alive'");
    const seen = text(r.outputs, "stderr") + text(after.outputs, "stderr");
    expect(seen).toMatch(/Unhandled promise rejection: Error: nobody awaits me/);
  });

  it("asks for input through the stdin channel when the frontend allows it", async () => {
    const prompts: string[] = [];
    const r = await kc.execute('const name = await input("name? ");\n`hello ${name}`', {
      onInput: (prompt) => (prompts.push(prompt), "Ada"),
    });
    expect(prompts).toEqual(["name? "]);
    expect(result(r.outputs)).toBe("'hello Ada'");
    const refused = await kc.execute('await input("x")', { allowStdin: false });
    expect(errorOf(refused.outputs)?.evalue).toMatch(/does not allow stdin/);
  });

  describe("shorthand properties naming an earlier cell's declaration", () => {
    /** Runs a cell that must succeed; returns its result's text/plain. */
    const value = async (code: string) => {
      const r = await kc.execute(code);
      expect(errorOf(r.outputs), code).toBeUndefined();
      return result(r.outputs);
    };

    it("read the earlier value (`{ plain }`, `{ plain, other: 1 }`)", async () => {
      await kc.execute("const plain = 2;\nlet other = 5;");
      const logged = await kc.execute("console.log({ plain })");
      expect(errorOf(logged.outputs)).toBeUndefined();
      expect(text(logged.outputs)).toBe("{ plain: 2 }\n");
      expect(await value("({ plain, other: 1 })")).toBe("{ plain: 2, other: 1 }");
    });

    it("work in functions, closures and classes; a same-named parameter shadows the earlier cell", async () => {
      await kc.execute(
        "function viaFunction() { return { plain, other }; }\n" +
        "const viaClosure = () => ({ plain });\n" +
        "class ViaClass { get v() { return { plain }; } }\n" +
        "function shadowed(plain: number) { return { plain }; }");
      expect(await value("[viaFunction(), viaClosure(), new ViaClass().v, shadowed(9)]"))
        .toBe("[ { plain: 2, other: 5 }, { plain: 2 }, { plain: 2 }, { plain: 9 } ]");
    });

    it("assign through destructuring and serve as defaults", async () => {
      expect(await value("({ other } = { other: 42 });\nother")).toBe("42");
      expect(await value("({ other = 43 } = {} as { other?: number });\nother")).toBe("43");
      expect(await value("const { missing = plain } = {} as { missing?: number };\nmissing")).toBe("2");
      expect(await value("function withDefault({ q = plain }: { q?: number } = {}) { return { q, plain }; }\nwithDefault()"))
        .toBe("{ q: 2, plain: 2 }");
      expect(await value("viaFunction()")).toBe("{ plain: 2, other: 43 }");
    });

    it("follow a later cell that declares the name again", async () => {
      expect(await value("const plain = 3;\n({ plain })")).toBe("{ plain: 3 }");
      expect(await value("({ plain })")).toBe("{ plain: 3 }");
      expect(await value("viaClosure()")).toBe("{ plain: 3 }");
    });

    it("survive `export { plain }` forms, which used to wipe the earlier value", async () => {
      expect(await value("export { plain };\nplain")).toBe("3");
      expect(await value("export { plain as plainAlias };\nplain")).toBe("3");
      expect(await value("({ plain })")).toBe("{ plain: 3 }");
    });

    it("keep traceback lines right", async () => {
      const r = await kc.execute('console.log({\n  plain,\n});\nthrow new Error("after the shorthand");');
      expect(text(r.outputs)).toBe("{ plain: 3 }\n");
      expect(errorOf(r.outputs)!.traceback.join("\n")).toMatch(/at Cell In\[\d+\], line 4:7/);
    });
  });
});

describe("re-running a cell unchanged", () => {
  // A kernel of its own: no cell has imported anything yet, so re-runs may reuse the compiled cell.
  let fresh: KernelClient;
  beforeAll(async () => {
    fresh = await KernelClient.start({ cwd: notebookDir });
  });
  afterAll(async () => {
    await fresh?.close();
  });

  it("runs it again each time and type-checks it against the declarations of the moment", async () => {
    await fresh.execute("let runs = 0; let checked = 1;");
    const cell = "runs += 1;\nconst n: number = checked;\nruns";
    for (const expected of ["1", "2", "3", "4"]) expect(result((await fresh.execute(cell)).outputs)).toBe(expected);
    await fresh.execute('let checked = "text";');
    const bad = await fresh.execute(cell);
    expect(bad.reply.content.status).toBe("error");
    expect(errorOf(bad.outputs)?.evalue).toMatch(/Type 'string' is not assignable to type 'number'/);
    expect(result((await fresh.execute("runs")).outputs)).toBe("4");
  });
});
