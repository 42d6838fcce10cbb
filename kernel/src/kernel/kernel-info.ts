/** The kernel_info_reply content (cheap: reads versions from package.json files, not the compiler). */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { PROTOCOL_VERSION } from "../wire/index.js";

function packageVersion(packageJson: string): string {
  try {
    return JSON.parse(readFileSync(packageJson, "utf8")).version;
  } catch {
    return "unknown";
  }
}

export function kernelInfo(): object {
  const tslabDir = dirname(require.resolve("tslab/package.json", { paths: [__dirname] }));
  const tsPackage = require.resolve("@tslab/typescript-for-tslab/package.json", { paths: [tslabDir] });
  const version = packageVersion(join(__dirname, "..", "..", "package.json"));
  const tsVersion = packageVersion(tsPackage);
  return {
    status: "ok",
    protocol_version: PROTOCOL_VERSION,
    implementation: "mnist-lab",
    implementation_version: version,
    language_info: {
      name: "typescript",
      version: tsVersion,
      mimetype: "text/typescript",
      file_extension: ".ts",
      codemirror_mode: { name: "javascript", typescript: true },
      pygments_lexer: "typescript",
      nbconvert_exporter: "script",
    },
    banner: `mnist-lab ${version}: TypeScript ${tsVersion} on Node.js ${process.version}. Built-ins: display(), clearOutput(), input().`,
    help_links: [
      { text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" },
      { text: "Node.js API", url: "https://nodejs.org/api/" },
    ],
    debugger: false,
  };
}
