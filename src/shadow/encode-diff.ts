import { childFlags, childLabel, childNode, joinPath, parseTree, TreeRenderer, type TreeChild, type TreeNode } from "./encode-tree.js";

/**
 * Where two encodings first differ, in the order the encoder wrote them
 * (the result before the arguments, a key before its value, earlier
 * siblings before later ones), said in words with a path:
 * `result[2].name: "a" vs "b"`. The two trees are walked side by side
 * with an explicit stack, so any depth is fine.
 */

const SIDE_WIDTH = 50;

type Task = { a: TreeNode; b: TreeNode; path: string } | { report: string };

/** The first difference between two encoded texts, or undefined when they are equal. */
export function firstDifference(textA: string, textB: string): string | undefined {
  if (textA === textB) return undefined;
  const a = parseTree(textA);
  const b = parseTree(textB);
  if (a === undefined || b === undefined) return `the encodings differ at character ${firstDifferentIndex(textA, textB)}`;
  return new DiffWalker(a, b).run() ?? `the encodings differ at character ${firstDifferentIndex(textA, textB)}`;
}

function firstDifferentIndex(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

class DiffWalker {
  private readonly renderA: TreeRenderer;
  private readonly renderB: TreeRenderer;
  /** Where each numbered node was first written, on each side: `the same object as result.items`. */
  private readonly pathsA = new Map<number, string>();
  private readonly pathsB = new Map<number, string>();

  constructor(private readonly a: TreeNode, private readonly b: TreeNode) {
    this.renderA = new TreeRenderer(a);
    this.renderB = new TreeRenderer(b);
  }

  run(): string | undefined {
    const { a, b } = this;
    if (a.t !== b.t) return `${kindOfRoot(a)} vs ${kindOfRoot(b)}`;
    if (a.t === "observation" && a.v !== b.v) return `${this.outcome(a, this.renderA)} vs ${this.outcome(b, this.renderB)}`;
    const stack: Task[] = this.children(a, b, undefined).reverse();
    while (stack.length > 0) {
      const task = stack.pop()!;
      if ("report" in task) return task.report;
      const found = this.compare(task.a, task.b, task.path);
      if (typeof found === "string") return found;
      for (let i = found.length - 1; i >= 0; i--) stack.push(found[i]!);
    }
    return undefined;
  }

  private outcome(root: TreeNode, render: TreeRenderer): string {
    const first = root.c?.[0];
    const value = first === undefined ? "" : render.render(childNode(first), SIDE_WIDTH);
    switch (root.v) {
      case "returned":
        return `returned ${value}`;
      case "threw":
        return `threw ${value}`;
      case "exited":
        return `exited with code ${value}`;
      case "timed-out":
        return "timed out";
      default:
        return String(root.v);
    }
  }

  private compare(a: TreeNode, b: TreeNode, path: string): string | Task[] {
    if (a.id !== undefined && a.t !== "ref") this.pathsA.set(a.id, path);
    if (b.id !== undefined && b.t !== "ref") this.pathsB.set(b.id, path);
    // Paths are built by concatenation and read only when reported: a deep tree's paths are long.
    const at = { toString: () => where(path) };
    if (a.t !== b.t || (a.t === "ref" && a.id !== b.id)) return `${at}: ${this.side(a, this.pathsA, this.renderA)} vs ${this.side(b, this.pathsB, this.renderB)}`;
    if ((a.id === undefined) !== (b.id === undefined)) return `${at}: ${this.renderA.render(a, SIDE_WIDTH)} vs ${this.renderB.render(b, SIDE_WIDTH)}`;
    if (a.id !== b.id) return `${at}: ${this.renderA.render(a, SIDE_WIDTH)} vs ${this.renderB.render(b, SIDE_WIDTH)} (shared references are numbered differently)`;
    if (a.v !== b.v) return `${at}: ${this.values(a, b)}`;
    for (const key of new Set([...Object.keys(a.a ?? {}), ...Object.keys(b.a ?? {})])) {
      const va = a.a?.[key];
      const vb = b.a?.[key];
      if (va !== vb) return `${at}: ${attributeDifference(key, va, vb)}`;
    }
    return this.children(a, b, path);
  }

  /** Pairs of children to compare, and, after the last equal pair, a report of where the lists part. */
  private children(a: TreeNode, b: TreeNode, path: string | undefined): Task[] {
    const ca = a.c ?? [];
    const cb = b.c ?? [];
    const tasks: Task[] = [];
    for (let i = 0; i < Math.max(ca.length, cb.length); i++) {
      const x = ca[i];
      const y = cb[i];
      if (x !== undefined && y !== undefined && childLabel(x) === childLabel(y) && childFlags(x) === childFlags(y)) {
        tasks.push({ a: childNode(x), b: childNode(y), path: path === undefined ? childLabel(x) : joinPath(path, childLabel(x)) });
        continue;
      }
      tasks.push({ report: this.parting(a, b, path, ca, cb, i) });
      break;
    }
    return tasks;
  }

  private parting(a: TreeNode, b: TreeNode, path: string | undefined, ca: TreeChild[], cb: TreeChild[], i: number): string {
    const x = ca[i];
    const y = cb[i];
    const under = (label: string) => where(path === undefined ? label : joinPath(path, label));
    const here = where(path ?? "the observation");
    if (x !== undefined && y !== undefined && childLabel(x) === childLabel(y)) {
      const [nx, ny] = [childNode(x), childNode(y)];
      if ((nx.t === "accessor") !== (ny.t === "accessor")) return `${under(childLabel(x))}: ${this.renderA.render(nx, SIDE_WIDTH)} vs ${this.renderB.render(ny, SIDE_WIDTH)}`;
      return `${under(childLabel(x))}: property ${flagsText(childFlags(x))} vs ${flagsText(childFlags(y))}`;
    }
    if (x !== undefined && childLabel(x) === "<prototype>" || y !== undefined && childLabel(y) === "<prototype>") {
      return `${here}: prototype ${this.renderA.prototypeText(a)} vs ${this.renderB.prototypeText(b)}`;
    }
    const labelsA = new Set(ca.map(childLabel));
    const labelsB = new Set(cb.map(childLabel));
    if (x !== undefined && !labelsB.has(childLabel(x))) return `${under(childLabel(x))}: ${this.renderA.render(childNode(x), SIDE_WIDTH)} vs absent`;
    if (y !== undefined && !labelsA.has(childLabel(y))) return `${under(childLabel(y))}: absent vs ${this.renderB.render(childNode(y), SIDE_WIDTH)}`;
    return `${here}: keys in another order (${childLabel(x!)} before ${childLabel(y!)} vs ${childLabel(y!)} before ${childLabel(x!)})`;
  }

  private side(n: TreeNode, paths: Map<number, string>, render: TreeRenderer): string {
    if (n.t === "ref" && n.id !== undefined) return `the same object as ${paths.get(n.id) ?? `#${n.id}`}`;
    if (n.t === "truncated") return `… (not encoded: the ${String(n.v)} limit)`;
    return render.render(n, SIDE_WIDTH);
  }

  private values(a: TreeNode, b: TreeNode): string {
    if (a.t === "string" && typeof a.v === "string" && typeof b.v === "string" && a.v.length + b.v.length > SIDE_WIDTH) {
      const i = firstDifferentIndex(a.v, b.v);
      const around = (s: string) => `${i > 10 ? "…" : ""}${JSON.stringify(s.slice(Math.max(0, i - 10), i + 20))}`;
      return `strings differ at index ${i}: ${around(a.v)} vs ${around(b.v)}`;
    }
    return `${this.renderA.render(a, SIDE_WIDTH)} vs ${this.renderB.render(b, SIDE_WIDTH)}`;
  }
}

function kindOfRoot(n: TreeNode): string {
  return n.t === "observation" ? "an observation" : n.t === "value" ? "a value" : n.t;
}

/** `args[0] after the call`: the arguments and the receiver are observed after the call. */
function where(path: string): string {
  return /^(args\[\d+\]|this)/.test(path) ? path.replace(/^(args\[\d+\]|this)(.*)$/, "$1$2 after the call") : path;
}

function flagsText(flags: string | undefined): string {
  if (flags === undefined) return "writable, enumerable, configurable";
  if (flags === "-") return "not writable, enumerable or configurable";
  const words = { w: "writable", e: "enumerable", c: "configurable" } as Record<string, string>;
  return [...flags].map((f) => words[f] ?? f).join(", ");
}

function attributeDifference(key: string, a: unknown, b: unknown): string {
  if (key === "bytes" && typeof a === "string" && typeof b === "string") {
    const i = Math.floor(firstDifferentIndex(a, b) / 2);
    const at = (s: string) => (2 * i < s.length ? `0x${s.slice(2 * i, 2 * i + 2)}` : "end");
    return `byte ${i}: ${at(a)} vs ${at(b)}`;
  }
  const text = (v: unknown) => (v === undefined ? (key === "state" ? "extensible" : `no ${key}`) : typeof v === "string" && key !== "state" ? JSON.stringify(v) : String(v));
  return key === "state" ? `${text(a)} vs ${text(b)}` : `${key} ${text(a)} vs ${text(b)}`;
}
