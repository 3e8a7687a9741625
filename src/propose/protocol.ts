/**
 * The proposer protocol, version 1 (docs/proposer-protocol.md, with JSON
 * Schemas in docs/): what `cdlc optimize --proposer CMD` writes to the
 * proposer's standard input for one node, and what it reads back from its
 * standard output. A proposer is any program — a language model behind an
 * adapter, a superoptimizer, a script that replays candidates — and every
 * candidate it returns is judged exactly as an operator's variant is.
 */

export const PROTOCOL_VERSION = 1;

/** A position in the file, 1-based (an end position is just past the last character). */
export interface Position {
  line: number;
  column: number;
}

/** A statistic of one metric with its confidence interval (as `cdlc optimize --format json` writes it). */
export interface ProposerFigure {
  metric: "execution_time";
  statistic: string;
  value: number;
  interval: [number, number];
  unit: "ns";
}

/** One case, shown as text; long ones are cut (`truncated`). */
export interface ShownCase {
  /** The argument list as JSON; what JSON cannot hold is written as `{"Map": [[k, v], …]}`, `{"Set": […]}`, `"12n"` (a BigInt). */
  args: string;
  truncated: boolean;
}

/** A variant already judged for this node, and what it got. */
export interface TriedVariant {
  id: number;
  origin: "operator" | "proposer";
  /** Operators applied (origin `operator`), first to last. */
  operators?: string[];
  /** The proposer's command and the candidate's name (origin `proposer`). */
  proposer?: string;
  name?: string;
  /**
   * The archive's verdict (`accepted`, `not-equivalent`, `not-faster`, `does-not-compile`, …), or
   * `pending` while the run has not judged it yet.
   */
  verdict: string;
  reason: string;
  /** For `not-equivalent`: the input and both results. */
  firstDifference?: unknown;
  /** The measured ratio original ÷ variant on the train cases, when it was timed (always finite). */
  speedup?: number;
  /** The node's text in this variant. */
  source: string;
}

/** What a proposer reads on its standard input: one node to improve. */
export interface ProposerRequest {
  protocol: typeof PROTOCOL_VERSION;
  /** 1 for the first request about this node in this run; the next rounds carry the verdicts of the previous ones. */
  round: number;
  node: {
    /** `<file relative to the project>#<qualified name>`. */
    id: string;
    file: string;
    qualifiedName: string;
    /** The node's text as in the file: the whole function, method or arrow. */
    source: string;
    start: Position;
    end: Position;
    /** The declaration up to its body: name, parameters and their types, return type. */
    signature: string;
  };
  /** The file that holds the node, whole (imports, helpers, types). */
  file: { path: string; text: string };
  constraint: {
    /** The bounds, as `execution_time p95 <= 2 ms`. */
    bounds: string[];
    /** The bounds the measurement found violated. */
    violated: string[];
    /** Operators the constraint allows (`mutations:`): a hint of what may change. */
    mutations: "all" | "none" | string[];
    /** Alternatives from `algorithm:`, as node ids. */
    algorithm: string[];
  };
  /** The node's figure before any change, when measured. */
  before?: ProposerFigure;
  /**
   * The node's cases: how many (the workload's, plus recorded ones with `--recording`) and the
   * first few, the workload's first. The oracle also runs generated inputs the proposer never sees.
   */
  cases: { total: number; shown: ShownCase[] };
  tried: TriedVariant[];
  limits: {
    /** Candidates beyond this many are ignored. */
    maxCandidates: number;
    /** The largest `source` accepted, UTF-8 bytes. */
    maxSourceBytes: number;
    /** How long cdlc waits for the answer before it ends the proposer, ms. */
    timeoutMs: number;
  };
}

/** One candidate: a replacement for the node's text, and nothing else of the file. */
export interface ProposedCandidate {
  /** The whole new text of the node (the function, method or arrow), as it would stand in the file. */
  source: string;
  /** A short name for reports (`set-lookup`), at most 80 characters. */
  name?: string;
  /** Why it should be faster, in a sentence or two (at most 4,000 characters); archived with the verdict. */
  rationale?: string;
  /** The id of the variant of `tried` this candidate builds on, if any: kept as its parent (lineage). */
  parent?: number;
}

/** What a proposer writes on its standard output. */
export interface ProposerResponse {
  protocol: typeof PROTOCOL_VERSION;
  candidates: ProposedCandidate[];
}
