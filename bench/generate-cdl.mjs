// Generates a realistic CDL file of N constraints (and a few flows), deterministic.
export function generateCdl(n, seed = 7) {
  let s = seed >>> 0;
  const r = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const lines = ['workload "bench/workloads.ts"', "", "defaults {", "  error_rate: < 0.1%", "  percentile: p95", "}", ""];
  for (let i = 0; i < n; i++) {
    const name = `${pick(["sort", "find", "load", "save", "parse", "render"])}${pick(["Users", "Orders", "Items", "Carts"])}_${i}`;
    const props = [`max_execution_time: ${1 + Math.floor(r() * 500)}${pick(["us", "ms", "ns"])}`];
    if (r() < 0.6) props.push(`max_memory_usage: ${1 + Math.floor(r() * 64)}${pick(["KB", "MB", "KiB"])}`);
    if (r() < 0.3) props.push(`error_rate: < ${(r() * 2).toFixed(2)}%`);
    if (r() < 0.3) props.push(`percentile: ${pick(["p50", "p90", "p99", "p999"])}`);
    if (r() < 0.2) props.push(`algorithm: [${name}_a, ${name}_b]`);
    if (r() < 0.2) props.push(`mutations: [${pick(["hoist_invariant", "set_membership", "loop_fusion"])}, index_loop]`);
    if (r() < 0.1) props.push(`throughput: ${1000 + Math.floor(r() * 50000)}/s`);
    const selector = r() < 0.15 ? `"src/module_${i % 97}.ts#${name}"` : r() < 0.3 ? `Service${i % 13}.${name}` : name;
    if (r() < 0.5) lines.push(`constraint ${selector} { ${props.join(", ")} }`);
    else lines.push(`// budget ${i}`, `constraint ${selector} {`, ...props.map((p) => `  ${p}`), "}", "");
  }
  for (let i = 0; i < n / 100; i++) lines.push(`flow Checkout${i}.run -> Inventory${i}.reserve { max_calls: 100, max_volume: 64KB }`);
  return lines.join("\n") + "\n";
}
