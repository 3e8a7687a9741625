import { escapeXml, markdownCell } from "../diagnostics/index.js";
import type { NodeOutcome, OptimizeResult } from "../optimize/types.js";
import { VERSION } from "../version.js";
import { formatInterval, formatQuantity } from "./format.js";

/**
 * `cdlc optimize` for CI: Markdown (a pull-request comment or step summary),
 * JUnit (one test case per node: an improvement passes, a node still over
 * its budget fails, one with nothing to accept is skipped) and SARIF (a
 * result per node considered, with the accepted variant as a suggested fix).
 */

const ICON: Record<NodeOutcome["status"], string> = {
  improved: "✅ improved",
  "improved-still-violating": "⚠️ improved, still violating",
  "no-variant": "⚪ no variant",
  "no-equivalent-variant": "❌ no equivalent variant",
  "no-faster-variant": "❌ no faster variant",
  skipped: "⚪ skipped",
};

function speedupText(n: NodeOutcome): string {
  if (n.speedup === undefined) return "";
  const s = n.speedup;
  return `${s.estimate.toFixed(2)}× [${s.interval[0].toFixed(2)}×, ${s.interval[1].toFixed(2)}×]${s.measuredOn === "not-held-out" ? " (not held out)" : ""}`;
}

export function renderOptimizeMarkdown(result: OptimizeResult): string {
  const improved = result.nodes.filter((n) => n.accepted !== undefined).length;
  const lines = [`### cdlc optimize: ${improved} of ${result.nodes.length} node${result.nodes.length === 1 ? "" : "s"} improved${result.version !== null ? ` (version ${result.version}, ${result.mode})` : ""}`, ""];
  if (result.nodes.length > 0) {
    lines.push("| node | status | before | after | speedup | variant |", "|---|---|---|---|---|---|");
    for (const n of result.nodes) {
      const before = n.before ? `${n.before.statistic} ${formatQuantity(n.before.value, "ns")}` : "";
      const after = n.after ? `${n.after.statistic} ${formatQuantity(n.after.value, "ns")} ${formatInterval(n.after.interval, "ns")}` : "";
      const why = n.reason !== undefined ? `<br><sub>${markdownCell(n.reason)}</sub>` : "";
      lines.push(`| \`${markdownCell(n.node)}\` | ${ICON[n.status]}${why} | ${markdownCell(before)} | ${markdownCell(after)} | ${markdownCell(speedupText(n))} | ${markdownCell(n.accepted?.operators.join(" → ") ?? "")} |`);
    }
    lines.push("");
  }
  for (const n of result.nodes.filter((x) => x.accepted !== undefined)) {
    lines.push(`<details><summary>${markdownCell(n.node)}: ${markdownCell(n.accepted!.operators.join(" → "))}</summary>`, "", "```diff", n.accepted!.diff.trimEnd(), "```", "", "</details>", "");
  }
  lines.push(
    `Canaries caught: ${result.canaries.caught} of ${result.canaries.injected}. Speedups are original ÷ variant time, from interleaved paired runs on held-out test cases unless marked; ${(result.elapsedMs / 1000).toFixed(1)} s of a ${(result.budget / 1000).toFixed(0)} s budget.`,
    "",
  );
  if (result.test !== undefined) lines.push(result.test.passed ? `Project tests passed: \`${markdownCell(result.test.command)}\`` : `❌ Project tests failed (exit ${result.test.exitCode}): \`${markdownCell(result.test.command)}\` — the changes were undone`, "");
  return lines.join("\n");
}

export function renderOptimizeJunit(result: OptimizeResult): string {
  const cases = result.nodes.map((n) => {
    const open = `    <testcase classname="cdlc.optimize" name="${escapeXml(n.node)}" time="0.000"`;
    const text = [n.status, speedupText(n), n.accepted?.operators.join(" → "), n.reason].filter((x) => x !== undefined && x !== "").join("; ");
    if (n.status === "improved") return { kind: "ok", xml: `${open}>\n      <system-out>${escapeXml(text)}</system-out>\n    </testcase>\n` };
    if (n.violated.length > 0 && n.status !== "skipped") return { kind: "failure", xml: `${open}>\n      <failure message="${escapeXml(`still violates ${n.violated.join("; ")}`)}" type="${escapeXml(n.status)}">${escapeXml(text)}</failure>\n    </testcase>\n` };
    return { kind: "skipped", xml: `${open}>\n      <skipped message="${escapeXml(text)}"/>\n    </testcase>\n` };
  });
  const count = (k: string) => cases.filter((c) => c.kind === k).length;
  const seconds = (result.elapsedMs / 1000).toFixed(3);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="cdlc" tests="${cases.length}" failures="${count("failure")}" errors="0" skipped="${count("skipped")}" time="${seconds}">\n` +
    `  <testsuite name="cdlc optimize" tests="${cases.length}" failures="${count("failure")}" errors="0" skipped="${count("skipped")}" time="${seconds}">\n` +
    cases.map((c) => c.xml).join("") +
    `  </testsuite>\n</testsuites>\n`
  );
}

const RULES = [
  { id: "optimize/improved", name: "faster-equivalent-variant", text: "cdlc found a variant of this node that behaves identically and is significantly faster on held-out cases; the fix applies it." },
  { id: "optimize/not-improved", name: "no-accepted-variant", text: "The node breaks its budget and no variant was accepted; the message says why." },
];

export function renderOptimizeSarif(result: OptimizeResult): string {
  const results = result.nodes.map((n) => {
    const file = n.node.slice(0, n.node.indexOf("#"));
    const fix = n.accepted?.fix;
    const message = n.accepted !== undefined ? `${n.node}: ${n.accepted.operators.join(" → ")}, ${speedupText(n)} faster (${n.status})` : `${n.node}: ${n.status}${n.reason !== undefined ? ` — ${n.reason}` : ""}`;
    return {
      ruleId: n.accepted !== undefined ? "optimize/improved" : "optimize/not-improved",
      level: n.accepted !== undefined ? "note" : n.violated.length > 0 ? "warning" : "none",
      message: { text: message },
      locations: [{ physicalLocation: { artifactLocation: { uri: file }, ...(fix !== undefined ? { region: { startLine: fix.start.line, startColumn: fix.start.column } } : {}) } }],
      ...(fix !== undefined
        ? {
            fixes: [
              {
                description: { text: `apply cdlc's ${n.accepted!.operators.join(" → ")} variant` },
                artifactChanges: [{ artifactLocation: { uri: fix.path }, replacements: [{ deletedRegion: { startLine: fix.start.line, startColumn: fix.start.column, endLine: fix.end.line, endColumn: fix.end.column }, insertedContent: { text: fix.text } }] }],
              },
            ],
          }
        : {}),
      properties: { status: n.status, ...(n.speedup !== undefined ? { speedup: n.speedup } : {}) },
    };
  });
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [{ tool: { driver: { name: "cdlc", version: VERSION, informationUri: "https://www.npmjs.com/package/cdlc", rules: RULES.map((r) => ({ id: r.id, name: r.name, shortDescription: { text: r.text } })) } }, results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
