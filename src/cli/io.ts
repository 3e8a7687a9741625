/** Everything the CLI needs from its environment, so tests can run it in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Whether standard output is a terminal (colour, progress). */
  isTTY: boolean;
}

/** Collects output in memory: the `io` that tests pass to `run`. */
export function createMemoryIo(options: Partial<Omit<CliIo, "stdout" | "stderr">> = {}): CliIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
  };
  return io;
}

/** ANSI colour: only on a terminal, never with `--no-color` (`flag === false`) or a non-empty `NO_COLOR`. */
export function wantsColor(io: CliIo, flag?: boolean): boolean {
  return flag !== false && io.isTTY && (io.env.NO_COLOR ?? "") === "";
}

/** Running in CI (`CI` set and not `false`): long work then logs one line per finished stage. */
export function inCi(io: CliIo): boolean {
  const ci = io.env.CI;
  return ci !== undefined && ci !== "" && ci !== "false";
}

/** How to show progress on standard error: redrawn in place on a terminal, line by line in CI, else (piped, `--quiet`) not at all. */
export function progressMode(io: CliIo, quiet: boolean): "tty" | "ci" | "none" {
  if (quiet) return "none";
  if (io.isTTY) return "tty";
  return inCi(io) ? "ci" : "none";
}
