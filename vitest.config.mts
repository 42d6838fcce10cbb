import { defineConfig } from "vitest/config";

// Tests drive real processes (kernel, Jupyter clients, Chromium, training), so
// they get generous timeouts and run file by file on this 2-core machine.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: "forks",
  },
});
