/**
 * The files a report inlines so it works offline and alone: KaTeX's CSS with
 * its woff2 fonts as data: URLs (every browser that runs vega-embed reads
 * woff2, so the woff/ttf fallbacks are dropped), highlight.js's GitHub theme,
 * and the vega, vega-lite and vega-embed browser builds. Read once per process.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The installed package's folder (some packages do not export package.json, so search node_modules). */
function packageDir(name: string): string {
  for (const dir of require.resolve.paths(name) ?? []) {
    if (existsSync(join(dir, name, "package.json"))) return join(dir, name);
  }
  throw new Error(`report assets: package "${name}" is not installed (needed to inline it into reports)`);
}

function read(name: string, file: string): string {
  return readFileSync(join(packageDir(name), file), "utf8");
}

function katexCss(): string {
  const dir = join(packageDir("katex"), "dist");
  const css = readFileSync(join(dir, "katex.min.css"), "utf8");
  return css.replace(/src:url\((fonts\/[^)]+\.woff2)\) format\("woff2"\)[^;}]*/g, (_all, file: string) => {
    const font = readFileSync(join(dir, file)).toString("base64");
    return `src:url(data:font/woff2;base64,${font}) format("woff2")`;
  });
}

export interface ReportAssets {
  katexCss: string;
  highlightCss: string;
  /** vega, vega-lite, vega-embed, in load order. */
  chartScripts: string[];
}

let cached: ReportAssets | undefined;

export function reportAssets(): ReportAssets {
  cached ??= {
    katexCss: katexCss(),
    highlightCss: read("highlight.js", "styles/github.min.css"),
    chartScripts: [
      read("vega", "build/vega.min.js"),
      read("vega-lite", "build/vega-lite.min.js"),
      read("vega-embed", "build/vega-embed.min.js"),
    ],
  };
  return cached;
}
