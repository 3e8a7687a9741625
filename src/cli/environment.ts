import { cpus, loadavg } from "node:os";

/** One line about the machine, for command output. */
export function currentEnvironmentSummary(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? "unknown CPU"} × ${cpu.length}, Node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`;
}
