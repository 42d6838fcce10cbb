/**
 * Runs the headless runner in its own process, as `mnist-lab run` does: the
 * compiled runner's main(argv) with its exit code, stdout and stderr.
 */
import { execFile } from "node:child_process";
import { resolve } from "node:path";

export const REPO = resolve(__dirname, "..", "..");
export const RUNNER_JS = resolve(REPO, "kernel", "dist", "runner", "cli.js");
export const MNIST_LAB_BIN = resolve(REPO, "kernel", "bin", "mnist-lab.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The test process's environment without quick mode, so each test decides it. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  if (!("MNIST_LAB_QUICK" in extra)) delete env.MNIST_LAB_QUICK;
  return env;
}

function run(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      args,
      { cwd: options.cwd ?? REPO, env: options.env ?? cleanEnv(), timeout: options.timeoutMs ?? 300_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof (error as { code?: unknown }).code === "number" ? (error as { code: number }).code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** main(argv) of kernel/dist/runner/cli.js in a child process. */
export function runRunner(argv: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  const script = `require(${JSON.stringify(RUNNER_JS)}).main(process.argv.slice(1)).then((code) => { process.exitCode = code; }, (e) => { console.error(e); process.exitCode = 99; });`;
  return run(["-e", script, "--", ...argv], options);
}

/** The installed command: node kernel/bin/mnist-lab.js … */
export function runMnistLab(argv: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  return run([MNIST_LAB_BIN, ...argv], options);
}
