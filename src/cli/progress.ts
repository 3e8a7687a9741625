import { progressMode, type CliIo } from "./io.js";

/**
 * Progress of long stages (loading a program, building the graph): on a
 * terminal, one line on standard error rewritten in place; in CI (`CI` set),
 * one line per finished stage; otherwise nothing.
 */
export interface Progress {
  report(stage: string, done: number, total: number): void;
  /** Clears the terminal line. */
  finish(): void;
}

const labels: Record<string, string> = {
  parse: "reading program files",
  hash: "checking the graph cache",
  nodes: "collecting nodes",
  edges: "resolving calls",
  bind: "binding constraints",
  oracle: "testing variants for equivalence (nodes)",
};

export function createProgress(io: CliIo, quiet = false): Progress {
  const mode = progressMode(io, quiet);
  const tty = mode === "tty";
  const ci = mode === "ci";
  const started = new Map<string, number>();
  const finished = new Set<string>();
  let lastDraw = 0;
  let drawn = false;
  return {
    report(stage, done, total) {
      if (!started.has(stage)) started.set(stage, Date.now());
      const label = labels[stage] ?? stage;
      if (tty) {
        const now = Date.now();
        if (done < total && now - lastDraw < 80) return;
        lastDraw = now;
        io.stderr(`\r\x1b[K${label} ${done}/${total}`);
        drawn = true;
      } else if (ci && done >= total && !finished.has(stage)) {
        finished.add(stage);
        io.stderr(`cdlc: ${label}: done (${total}) in ${Date.now() - started.get(stage)!}ms\n`);
      }
    },
    finish() {
      if (drawn) io.stderr("\r\x1b[K");
      drawn = false;
    },
  };
}
