#!/usr/bin/env node

// The only place that touches the process: arguments, streams, exit code.

// A reader that stops early (`cdlc graph | head`) closes the pipe: stop writing quietly, as other tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
    process.exit(process.exitCode ?? 0);
  });
}
const argv = process.argv.slice(2);
// `record` loads only itself: cdlc starts the user's command as early as it can.
const { run } = argv[0] === "record" ? await import("./run-record.js") : await import("./run.js");
const code = await run(argv, {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
});
process.exitCode = code;
