/**
 * A bug in cdlc itself. The CLI reports it with exit code 3 and a message that
 * says so; user mistakes are diagnostics, never exceptions.
 */
export class InternalError extends Error {
  override readonly name = "InternalError";
}

/** A bad command line (unknown format, unreadable option value): exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
