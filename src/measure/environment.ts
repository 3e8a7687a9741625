import { cpus, loadavg, totalmem } from "node:os";
import type { Environment } from "./types.js";

/** The machine measurements are taken on, as reports record it. */
export function currentEnvironment(): Environment {
  const cpu = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    cpu: cpu[0]?.model.trim() ?? "unknown",
    cores: cpu.length,
    loadAverage: loadavg(),
    totalMemoryBytes: totalmem(),
  };
}

/** One line about the machine, for command output. */
export function describeEnvironment(e: Environment): string {
  return `${e.cpu} × ${e.cores}, Node ${e.node}, load ${e.loadAverage.map((l) => l.toFixed(2)).join(" ")}`;
}
