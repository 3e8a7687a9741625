import { defineConfig } from "vitest/config";

/** Files that replace a module with vi.mock: they need a module graph of their own. */
const ISOLATED = ["test/e2e/measure.test.ts"];

export default defineConfig({
  test: {
    // Runner and browser tests start child processes and Chromium; the machine is small and shared.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The compiler's code cache belongs to the user's installed tool: tests must not write it
    // (test/e2e/code-cache.test.ts turns it on in a folder of its own).
    env: { CDLC_CODE_CACHE: "off" },
    projects: [
      {
        extends: true,
        // One module graph for the other files: re-importing cdlc, Babel and TypeScript for every file
        // cost a fifth of the suite's time. A file that mocks a module or patches globals belongs in ISOLATED.
        test: { name: "shared", isolate: false, include: ["test/**/*.test.ts"], exclude: ["test/fixtures/**", "node_modules/**", "examples/**", ...ISOLATED] },
      },
      { extends: true, test: { name: "isolated", include: ISOLATED } },
    ],
  },
});
