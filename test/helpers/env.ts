import { afterEach } from "vitest";

/** Puts an environment variable back as it was after each test of the file (tests set it for the code under test). */
export function restoreEnvAfterEach(name: string): void {
  const saved = process.env[name];
  afterEach(() => {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  });
}
