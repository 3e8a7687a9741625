import type { PageData, PageEdge, PageNode } from "../page-types.js";
import { VERDICT_COLOURS, VERDICT_NAMES } from "./look.js";

/**
 * The details panel: a node's constraints with their sources, its metrics
 * (measured or recorded, with intervals), its declaration's `file:line`,
 * and its callers and callees as links; or, for a folder just opened, its
 * files and a button that closes it again.
 */

export interface DetailsActions {
  /** Selects a node and brings it into view. */
  jump(id: string): void;
  closeFolder(folder: number): void;
}

export class DetailsPanel {
  private readonly byId: Map<string, PageNode>;
  private readonly out = new Map<string, PageEdge[]>();
  private readonly into = new Map<string, PageEdge[]>();

  constructor(
    private readonly panel: HTMLElement,
    private readonly data: PageData,
    private readonly actions: DetailsActions,
  ) {
    this.byId = new Map(data.nodes.map((n) => [n.id, n]));
    for (const e of data.edges) {
      (this.out.get(e.from) ?? this.out.set(e.from, []).get(e.from)!).push(e);
      (this.into.get(e.to) ?? this.into.set(e.to, []).get(e.to)!).push(e);
    }
  }

  callers(id: string): readonly PageEdge[] {
    return this.into.get(id) ?? [];
  }

  callees(id: string): readonly PageEdge[] {
    return this.out.get(id) ?? [];
  }

  clear(): void {
    this.panel.replaceChildren();
    add("p", "Click a node to see its constraints and metrics, or a folder to open it. Keys: / search, Enter next match, c next constrained node, arrows pan, + and − zoom, 0 fit, Esc clear.", this.panel, "hint");
  }

  showNode(n: PageNode, folderOpen: boolean): void {
    const p = this.panel;
    p.replaceChildren();
    add("h2", n.name, p);
    add("div", n.id, p, "id");
    add("div", `${n.kind} · ${n.file}:${n.line}`, p, "meta");
    if (n.verdict !== undefined) {
      const mark = add("div", VERDICT_NAMES[n.verdict], p, "verdict");
      mark.style.borderLeftColor = VERDICT_COLOURS[n.verdict];
    }
    if (n.improved !== undefined) {
      add("h3", `Made faster by version ${n.improved.version}`, p);
      add("div", n.improved.text, p, "improved");
    }
    add("h3", "Constraints", p);
    if (n.constraints.length === 0) add("p", "none", p, "hint");
    for (const c of n.constraints) {
      const box = add("div", "", p, "constraint");
      add("div", `${c.selector}  (${c.source})`, box, "meta");
      const ul = add("ul", "", box);
      for (const b of c.bounds) add("li", b, ul);
      if (c.algorithm.length > 0) add("div", `algorithm: ${c.algorithm.join(", ")}`, box);
      add("div", `mutations: ${c.mutations} · severity: ${c.severity}`, box, "meta");
    }
    add("h3", "Metrics", p);
    if (n.metrics.length === 0) add("p", "not measured yet", p, "hint");
    else {
      const table = add("table", "", p);
      for (const [label, text] of n.metrics) {
        const tr = add("tr", "", table);
        add("td", label, tr);
        add("td", text, tr);
      }
    }
    this.edgeList(`Calls (${this.callees(n.id).length})`, this.callees(n.id), (e) => e.to, (e) => `${e.kind}, line ${e.lines.join(", ")}`);
    this.edgeList(`Called by (${this.callers(n.id).length})`, this.callers(n.id), (e) => e.from, (e) => e.kind);
    if (folderOpen) {
      const folder = n.folder;
      button(`Close ${this.data.folders[folder]}/`, p, () => this.actions.closeFolder(folder));
    }
  }

  /** A folder just opened from its folder node: its files, and a button that closes it again. */
  showFolder(folder: number, members: readonly PageNode[]): void {
    const p = this.panel;
    p.replaceChildren();
    add("h2", `${this.data.folders[folder]}/`, p);
    add("div", `folder · ${members.length} nodes, now shown`, p, "meta");
    button("Close this folder", p, () => this.actions.closeFolder(folder));
    const files = new Map<string, number>();
    for (const n of members) files.set(n.file, (files.get(n.file) ?? 0) + 1);
    add("h3", `Files (${files.size})`, p);
    const ul = add("ul", "", p);
    for (const [file, count] of [...files].sort()) add("li", `${file} (${count})`, ul);
  }

  private edgeList(title: string, edges: readonly PageEdge[], other: (e: PageEdge) => string, note: (e: PageEdge) => string): void {
    add("h3", title, this.panel);
    const ul = add("ul", "", this.panel);
    for (const e of edges) {
      const li = add("li", "", ul);
      const id = other(e);
      const a = add("a", this.byId.get(id)?.label ?? id, li);
      a.setAttribute("href", "#");
      a.title = id;
      a.addEventListener("click", (ev) => {
        ev.preventDefault();
        this.actions.jump(id);
      });
      add("span", ` ${note(e)}`, li, "meta");
      for (const [label, text] of e.metrics ?? []) add("div", `${label}: ${text}`, li, "meta edge-metrics");
    }
  }
}

function add<K extends keyof HTMLElementTagNameMap>(tag: K, text: string, parent: HTMLElement, cls?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.textContent = text;
  if (cls !== undefined) el.className = cls;
  parent.appendChild(el);
  return el;
}

function button(text: string, parent: HTMLElement, onClick: () => void): HTMLButtonElement {
  const b = add("button", text, parent, "action");
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}
