import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/fixtures/**", "node_modules/**", "examples/**"],
    // Runner and browser tests start child processes and Chromium; the machine is small and shared.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The compiler's code cache belongs to the user's installed tool: tests must not write it
    // (test/e2e/code-cache.test.ts turns it on in a folder of its own).
    env: { CDLC_CODE_CACHE: "off" },
  },
});
