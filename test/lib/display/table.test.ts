import { describe, expect, test } from "vitest";
import { DISPLAY } from "../../../lib/src/display/bundle.js";
import { table } from "../../../lib/src/display/table.js";

describe("table", () => {
  const rows = [
    { layer: "conv2d_1", output: "[26, 26, 32]", params: 320 },
    { layer: "dense_1", output: "[128]", params: 204928, note: "<relu>" },
  ];

  test("text/plain: numbers right-aligned, text left-aligned, under a rule", () => {
    const text = table(rows)[DISPLAY]()["text/plain"] as string;
    expect(text.split("\n")).toEqual([
      "layer     output        params  note",
      "────────  ────────────  ──────  ──────",
      "conv2d_1  [26, 26, 32]     320",
      "dense_1   [128]         204928  <relu>",
    ]);
  });

  test("text/html escapes cells and keeps the column order given", () => {
    const bundle = table(rows, { columns: ["params", "note"], title: "Model" })[DISPLAY]();
    const html = bundle["text/html"] as string;
    expect(html).toContain("<caption>Model</caption>");
    expect(html).toContain("&lt;relu&gt;");
    expect(html).not.toContain("conv2d_1");
    expect(html.indexOf("<th")).toBeLessThan(html.indexOf(">note<"));
    expect((html.match(/<tr>/g) ?? []).length).toBe(3);
  });

  test("long tables are cut with a count; floats keep 6 significant digits", () => {
    const many = Array.from({ length: 10 }, (_, i) => ({ i, loss: 1 / (i + 3) }));
    const text = table(many, { maxRows: 3 })[DISPLAY]()["text/plain"] as string;
    expect(text).toContain("0.333333");
    expect(text.trim().split("\n").at(-1)).toBe("… 7 more rows");
  });
});
