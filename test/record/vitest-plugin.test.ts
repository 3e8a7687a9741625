import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { publishPlan } from "../../src/record/plan-file.js";
import { PLAN_ENV, type RecordPlan } from "../../src/record/plan.js";
import { EDITS_SUFFIX, type PreparedEdits } from "../../src/record/prepared-edits.js";
import { cdlcRecord } from "../../src/record/vitest-plugin.js";
import { restoreEnvAfterEach } from "../helpers/env.js";

const dir = mkdtempSync(join(tmpdir(), "cdlc-vitest-plugin-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
restoreEnvAfterEach(PLAN_ENV);

const file = join(dir, "src", "a.ts");
const code = "export function square(x: number): number {\n  return x * x;\n}\nexport const other = 1;\n";
let n = 0;

/** A plugin under `cdlc record` with this plan (outDir fresh). */
function pluginWith(extra: Partial<RecordPlan> = {}) {
  const outDir = join(dir, `out-${n}`);
  mkdirSync(outDir, { recursive: true });
  const planPath = join(dir, `plan-${n++}.json`);
  publishPlan(planPath, { version: 1, nodes: [{ id: "src/a.ts#square", file, qualifiedName: "square" }], edges: [], outDir, ...extra });
  process.env[PLAN_ENV] = planPath;
  return { plugin: cdlcRecord(), outDir };
}

const handedBack = (outDir: string) => readdirSync(outDir).filter((f) => f.endsWith(EDITS_SUFFIX)).map((f) => JSON.parse(readFileSync(join(outDir, f), "utf8")) as { source: string; edits: PreparedEdits });

describe("the vitest plugin under cdlc record", () => {
  it("instruments a watched file, leaves others alone, and hands back the edits it parsed for", async () => {
    const { plugin, outDir } = pluginWith();
    const out = await plugin.transform(code, `${file}?v=1`);
    expect(out?.code).toContain("__cdlc_r.e(0)");
    expect(out?.code.split("\n").length).toBe(code.split("\n").length);
    expect(await plugin.transform(code, join(dir, "src", "b.ts"))).toBeNull();
    const back = handedBack(outDir);
    expect(back.map((b) => b.source)).toEqual([file]);
    expect(back[0]!.edits.instrumented).toEqual([0]);
  });

  it("applies edits the plan carries for this very text, without parsing, and parses any other text", async () => {
    const first = pluginWith();
    await first.plugin.transform(code, file);
    const edits = handedBack(first.outDir)[0]!.edits;
    const marked = { ...edits, inserts: edits.inserts.map((i) => (i.text.includes("var __cdlc_r") ? { ...i, text: `${i.text}/*kept*/` } : i)) };
    const { plugin, outDir } = pluginWith({ prepared: { [file]: [marked] } });
    expect((await plugin.transform(code, file))?.code).toContain("/*kept*/");
    expect(handedBack(outDir)).toEqual([]);
    const changed = `${code}// changed\n`;
    const parsed = await plugin.transform(changed, file);
    expect(parsed?.code).toContain("__cdlc_r.e(0)");
    expect(parsed?.code).not.toContain("/*kept*/");
    expect(handedBack(outDir)).toHaveLength(1);
  });

  it("does nothing outside cdlc record", async () => {
    delete process.env[PLAN_ENV];
    expect(await cdlcRecord().transform(code, file)).toBeNull();
  });
});
