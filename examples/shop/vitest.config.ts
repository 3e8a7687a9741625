import { defineConfig } from "vitest/config";
// In your own project: import { cdlcRecord } from "cdlc/vitest";
// (this example lives inside cdlc's repository, so it takes the plugin from the build).
import { cdlcRecord } from "../../dist/lib/record/vitest-plugin.js";

// The plugin does nothing unless the run is under `cdlc record`:
//   npx cdlc record constraints.cdl --project . -- npx vitest run
export default defineConfig({
  plugins: [cdlcRecord()],
  test: { include: ["test/**/*.test.ts"] },
});
