import type { Variant } from "../mutate/types.js";
import type { OracleReport } from "../shadow/oracle.js";
import type { VerdictKind } from "../shadow/types.js";
import type { ArchiveEntry, ArchiveVerdict } from "../versions/types.js";

/**
 * The archive lines of one optimize run: every variant attempted (with the
 * oracle's verdict, or the gate's), and every canary with whether the
 * oracle caught it. Built as the run goes; written once, appended.
 */
export class AttemptLog {
  readonly entries: ArchiveEntry[] = [];

  constructor(
    readonly run: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  variant(node: string, v: Pick<Variant, "id" | "parent" | "operators" | "risk" | "proposal">, verdict: ArchiveVerdict, reason: string, extra: { firstDifference?: unknown; measurements?: unknown; notTimed?: boolean } = {}): void {
    // A proposer's candidate says where it came from, and what the proposer said of it.
    const origin = v.proposal !== undefined ? { origin: "proposer", ...v.proposal } : {};
    this.entries.push({ time: this.now().toISOString(), run: this.run, node, variant: v.id, parent: v.parent, operators: v.operators, risk: v.risk, verdict, reason, ...origin, ...extra });
  }

  /** The oracle's verdicts on a node: a line per variant it rejected, a line per canary. Equivalent ones wait for the gate. */
  oracle(node: string, variants: readonly Variant[], report: OracleReport): void {
    for (const v of report.verdicts) {
      if (v.kind === "equivalent") continue;
      const variant = variants.find((x) => x.id === v.variant);
      if (variant === undefined) continue;
      this.variant(node, variant, archiveVerdictOf(v.kind), v.kind === "forbidden" || v.kind === "exited" || v.kind === "untestable" ? `${v.kind}: ${v.reason}` : v.reason, v.difference !== undefined ? { firstDifference: v.difference } : {});
    }
    report.canaries.forEach((c, i) => {
      this.entries.push({
        time: this.now().toISOString(),
        run: this.run,
        node,
        // Canaries are not variants: negative numbers keep them apart (-1 is the node's first canary).
        variant: -(i + 1),
        canary: c.kind,
        parent: null,
        operators: [`canary:${c.kind}`],
        risk: 0,
        verdict: c.caught ? "canary-caught" : "canary-missed",
        reason: `${c.summary}: ${c.verdict.kind}${c.verdict.reason ? ` (${c.verdict.reason})` : ""}`,
      });
    });
  }
}

/** The archive's verdict for an oracle verdict that rejects a variant. */
export function archiveVerdictOf(kind: Exclude<VerdictKind, "equivalent">): ArchiveVerdict {
  switch (kind) {
    case "not-equivalent":
    case "crashed":
    case "timed-out":
    case "out-of-memory":
    case "does-not-compile":
      return kind;
    // A process that exited, touched what the sandbox forbids, or could not be tested: it stopped, as a crash does.
    case "exited":
    case "forbidden":
    case "untestable":
      return "crashed";
  }
}
