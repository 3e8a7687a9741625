/** Exit codes of every command (see the command-line contract). */
export const ExitCode = {
  ok: 0,
  violated: 1,
  invalidInput: 2,
  internalError: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
