import { escapeXml } from "../diagnostics/index.js";
import type { BoundResult } from "../measure/types.js";
import { boundLabel, formatQuantity } from "./format.js";

export const VERDICT_COLOR: Record<BoundResult["status"], string> = { pass: "#1a7f37", fail: "#cf222e", inconclusive: "#bf8700", unmeasured: "#6e7781" };

const W = 640;
const H = 220;
const PAD = { left: 48, right: 16, top: 16, bottom: 40 };

/**
 * An SVG histogram of samples with each bound's limit drawn as a vertical
 * line (coloured by verdict) and its interval as a band. The x axis is
 * logarithmic when the values span more than a factor of 20.
 */
export function histogramSvg(values: readonly number[], unit: BoundResult["unit"], bounds: readonly BoundResult[], title: string): string {
  const finite = values.filter((v) => Number.isFinite(v));
  const marks = bounds.flatMap((b) => [b.limit, ...(b.interval ?? []).filter((x) => Number.isFinite(x))]);
  if (finite.length === 0) return `<p class="empty">No samples for ${escapeXml(title)}.</p>`;
  let lo = Math.min(...finite, ...marks);
  let hi = Math.max(...finite, ...marks);
  if (hi === lo) {
    hi = lo + Math.max(1, Math.abs(lo) * 0.1);
    lo = lo - Math.max(1, Math.abs(lo) * 0.1);
  }
  const log = lo > 0 && hi / lo > 20;
  // A little room on both sides so a limit at the edge stays visible.
  if (log) {
    lo /= 1.05;
    hi *= 1.05;
  } else {
    const pad = (hi - lo) * 0.04;
    lo = lo - pad < 0 && lo >= 0 ? 0 : lo - pad;
    hi += pad;
  }
  const t = (v: number) => (log ? Math.log(v) : v);
  const [a, b] = [t(lo), t(hi)];
  const span = b - a;
  const x = (v: number) => PAD.left + ((t(Math.min(hi, Math.max(lo, v))) - a) / span) * (W - PAD.left - PAD.right);
  const bins = 40;
  const counts = new Array<number>(bins).fill(0);
  for (const v of finite) counts[Math.min(bins - 1, Math.max(0, Math.floor(((t(v) - a) / span) * bins)))]!++;
  const max = Math.max(...counts);
  const plotH = H - PAD.top - PAD.bottom;
  const bw = (W - PAD.left - PAD.right) / bins;
  const bars = counts
    .map((c, i) => (c === 0 ? "" : `<rect class="bar" x="${(PAD.left + i * bw).toFixed(1)}" y="${(PAD.top + plotH - (c / max) * plotH).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${((c / max) * plotH).toFixed(1)}"/>`))
    .join("");
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const v = log ? Math.exp(a + f * span) : a + f * span;
      const px = PAD.left + f * (W - PAD.left - PAD.right);
      return `<line class="tick" x1="${px.toFixed(1)}" x2="${px.toFixed(1)}" y1="${H - PAD.bottom}" y2="${H - PAD.bottom + 4}"/><text class="tick-label" x="${px.toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${escapeXml(formatQuantity(v, unit))}</text>`;
    })
    .join("");
  const overlays = bounds
    .map((bd, i) => {
      const color = VERDICT_COLOR[bd.status];
      const lx = x(bd.limit);
      let band = "";
      if (bd.interval) {
        const [l, h] = bd.interval;
        const x1 = Number.isFinite(l) ? x(l) : PAD.left;
        const x2 = Number.isFinite(h) ? x(h) : W - PAD.right;
        band = `<rect class="interval" data-status="${bd.status}" x="${x1.toFixed(1)}" y="${PAD.top}" width="${Math.max(2, x2 - x1).toFixed(1)}" height="${plotH}" fill="${color}" fill-opacity="0.15"/>`;
        if (bd.measured !== null && Number.isFinite(bd.measured)) band += `<line class="measured" x1="${x(bd.measured).toFixed(1)}" x2="${x(bd.measured).toFixed(1)}" y1="${PAD.top}" y2="${PAD.top + plotH}" stroke="${color}" stroke-width="1" stroke-dasharray="2 2"/>`;
      }
      const label = `<text class="limit-label" x="${(lx > W / 2 ? lx - 4 : lx + 4).toFixed(1)}" y="${PAD.top + 12 + i * 13}" text-anchor="${lx > W / 2 ? "end" : "start"}" style="fill: ${color}">${escapeXml(boundLabel(bd))}</text>`;
      return `${band}<line class="limit" data-status="${bd.status}" x1="${lx.toFixed(1)}" x2="${lx.toFixed(1)}" y1="${PAD.top - 4}" y2="${PAD.top + plotH}" stroke="${color}" stroke-width="3"/>${label}`;
    })
    .join("");
  return (
    `<svg class="plot" role="img" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${escapeXml(title)}</title>` +
    `<line class="axis" x1="${PAD.left}" x2="${W - PAD.right}" y1="${H - PAD.bottom}" y2="${H - PAD.bottom}"/>` +
    bars +
    ticks +
    overlays +
    `<text class="axis-label" x="${W / 2}" y="${H - 6}" text-anchor="middle">${escapeXml(title)}${log ? " (log scale)" : ""} — ${finite.length} samples</text>` +
    `</svg>`
  );
}

/** The node with its callers on the left and callees on the right. */
export function neighbourhoodSvg(node: string, edges: readonly { from: string; to: string; label?: string }[], short: (id: string) => string): string {
  const callers = [...new Set(edges.filter((e) => e.to === node && e.from !== node).map((e) => e.from))];
  const callees = [...new Set(edges.filter((e) => e.from === node && e.to !== node).map((e) => e.to))];
  if (callers.length === 0 && callees.length === 0) return `<p class="empty">No measured calls into or out of this node.</p>`;
  const rows = Math.max(callers.length, callees.length, 1);
  const h = Math.max(60, rows * 34 + 16);
  const box = (cx: number, cy: number, text: string, cls: string) => {
    const label = short(text);
    const w = Math.min(200, 16 + label.length * 7);
    return `<g class="${cls}"><rect x="${(cx - w / 2).toFixed(1)}" y="${cy - 12}" width="${w}" height="24" rx="5"/><text x="${cx}" y="${cy + 4}" text-anchor="middle"><title>${escapeXml(text)}</title>${escapeXml(label)}</text></g>`;
  };
  const cy = h / 2;
  const ys = (n: number) => Array.from({ length: n }, (_, i) => (h / (n + 1)) * (i + 1));
  const label = (from: string, to: string) => edges.find((e) => e.from === from && e.to === to)?.label;
  const parts: string[] = [];
  ys(callers.length).forEach((y, i) => {
    const l = label(callers[i]!, node);
    parts.push(`<line class="edge" x1="200" y1="${y}" x2="260" y2="${cy}"/>`, box(110, y, callers[i]!, "caller"));
    if (l) parts.push(`<text class="edge-label" x="230" y="${((y + cy) / 2 - 4).toFixed(1)}" text-anchor="middle">${escapeXml(l)}</text>`);
  });
  ys(callees.length).forEach((y, i) => {
    const l = label(node, callees[i]!);
    parts.push(`<line class="edge" x1="380" y1="${cy}" x2="440" y2="${y}"/>`, box(530, y, callees[i]!, "callee"));
    if (l) parts.push(`<text class="edge-label" x="410" y="${((y + cy) / 2 - 4).toFixed(1)}" text-anchor="middle">${escapeXml(l)}</text>`);
  });
  parts.push(box(320, cy, node, "self"));
  return `<svg class="graph" role="img" viewBox="0 0 640 ${h}" width="640" height="${h}" xmlns="http://www.w3.org/2000/svg"><title>Calls around ${escapeXml(node)}</title>${parts.join("")}</svg>`;
}
