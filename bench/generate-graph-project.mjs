// Generates a realistic TypeScript project for the graph benchmark: FILES
// modules in feature folders, each with an interface, a class (constructor,
// methods, a getter, a static factory), exported functions with generics and
// callbacks, an object of handlers, and imports from 3 other modules (some
// through a barrel file and a path alias). Deterministic for a given size.
//
//   node bench/generate-graph-project.mjs DIR [FILES]
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function generateProject(dir, files = 1000) {
  rmSync(dir, { recursive: true, force: true });
  const folders = Math.max(1, Math.round(files / 50));
  const path = (i) => `feature${i % folders}/mod${i}`;
  let seed = 7;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let i = 0; i < files; i++) {
    const deps = [...new Set([rand(files), rand(files), rand(files)])].filter((d) => d !== i);
    const imports = deps.map((d, k) =>
      k === 0
        ? `import { Service${d}, compute${d}, type Item${d} } from "@app/${path(d)}.js";`
        : `import { compute${d}, handlers${d} } from "${relative(path(i), path(d))}.js";`,
    );
    const calls = deps.map((d, k) => (k === 0 ? `compute${d}(x, (v) => v + ${k})` : `compute${d}(x, (v) => v * 2) + handlers${d}.run(x)`));
    const first = deps[0];
    const text = `${imports.join("\n")}

export interface Item${i} {
  id: number;
  name: string;
  tags: readonly string[];
  score(weight: number): number;
}

export interface Repository${i}<T extends { id: number }> {
  find(id: number): T | undefined;
  all(): readonly T[];
}

export class Service${i} implements Repository${i}<Item${i}> {
  private readonly items = new Map<number, Item${i}>();
  #hits = 0;

  constructor(seed: readonly Item${i}[] = []) {
    for (const item of seed) this.items.set(item.id, item);
  }

  find(id: number): Item${i} | undefined {
    this.#hits++;
    return this.items.get(id);
  }

  all(): readonly Item${i}[] {
    return [...this.items.values()].sort((a, b) => a.score(1) - b.score(1));
  }

  get size(): number {
    return this.items.size;
  }

  total(x: number): number {
    return this.all().reduce((sum, item) => sum + item.score(x), 0) + ${calls.join(" + ") || "0"};
  }

  byTag(tag: string): Item${i}[] {
    return this.all().filter((item) => item.tags.includes(tag));
  }

  static of(names: readonly string[]): Service${i} {
    return new Service${i}(names.map((name, id) => makeItem${i}(id, name)));
  }
}

export function makeItem${i}(id: number, name: string): Item${i} {
  return { id, name, tags: name.split("-"), score: (w) => w * id + name.length };
}

export function compute${i}<T extends number>(x: T, f: (v: number) => number): number {
  const values = Array.from({ length: 4 }, (_, k) => f(x + k));
  return values.reduce((a, b) => a + b, 0);
}

export const format${i} = (item: Item${i}): string => \`\${item.id}:\${item.name}:\${item.tags.join(",")}\`;

export const handlers${i} = {
  run(x: number): number {
    return compute${i}(x, (v) => v + 1);
  },
  describe: (service: Service${i}): string => service.all().map(format${i}).join(";"),
};

export function main${i}(): number {
  const service = Service${i}.of(["a-b", "c-d", "e"]);
  ${first !== undefined ? `const other = new Service${first}();\n  const found: Item${first} | undefined = other.find(1);\n  ` : ""}return service.total(${i}) + service.size + handlers${i}.run(1)${first !== undefined ? " + (found?.id ?? 0)" : ""};
}
`;
    mkdirSync(join(dir, "src", `feature${i % folders}`), { recursive: true });
    writeFileSync(join(dir, "src", `${path(i)}.ts`), text);
  }
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [], paths: { "@app/*": ["./src/*"] } },
        include: ["src"],
      },
      null,
      2,
    ),
  );
  return dir;
}

function relative(from, to) {
  const a = from.split("/").slice(0, -1);
  const b = to.split("/");
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const up = a.length - i;
  return (up === 0 ? "./" : "../".repeat(up)) + b.slice(i).join("/");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) throw new Error("usage: node bench/generate-graph-project.mjs DIR [FILES]");
  generateProject(dir, Number(process.argv[3] ?? 1000));
  console.log(`generated ${process.argv[3] ?? 1000} files in ${dir}`);
}
