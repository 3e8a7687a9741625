/**
 * Folder nodes sit at the centre of the nodes they hold, so closed folders
 * pile up where the layout put their nodes (often near one another). This
 * moves them apart, a little at a time; a folder still on another disc
 * after that (pushed back and forth between shown nodes) is then put on the
 * nearest free spot, searched in widening circles. The nodes that are
 * shown stay where the layout put them. Sizes are in pixels at the default
 * zoom, positions in graph units.
 */

export interface Disc {
  x: number;
  y: number;
  /** Radius, pixels. */
  size: number;
  movable: boolean;
}

/** A few pixels of air between discs. */
const GAP_PX = 3;
const ROUNDS = 60;

export function separate(discs: Disc[], unitsPerPixel: number): void {
  const movable = discs.filter((d) => d.movable);
  if (movable.length === 0) return;
  relax(discs, movable, unitsPerPixel);
  for (const a of movable) if (discs.some((b) => clash(a, b, unitsPerPixel))) moveToFreeSpot(a, discs, unitsPerPixel);
}

function clash(a: Disc, b: Disc, unitsPerPixel: number): boolean {
  return a !== b && Math.hypot(a.x - b.x, a.y - b.y) < (a.size + b.size + GAP_PX) * unitsPerPixel;
}

/** The nearest spot where `a` touches no disc: 16 directions on circles a few pixels wider each time. */
function moveToFreeSpot(a: Disc, discs: readonly Disc[], unitsPerPixel: number): void {
  const { x, y } = a;
  for (let ring = 1; ; ring++) {
    const r = ring * (a.size / 2 + GAP_PX) * unitsPerPixel;
    for (let k = 0; k < 16; k++) {
      a.x = x + r * Math.cos((k * Math.PI) / 8);
      a.y = y + r * Math.sin((k * Math.PI) / 8);
      if (!discs.some((b) => clash(a, b, unitsPerPixel))) return;
    }
  }
}

/** Pairwise pushes, folders only, until nothing overlaps or the rounds run out. */
function relax(discs: readonly Disc[], movable: readonly Disc[], unitsPerPixel: number): void {
  for (let round = 0; round < ROUNDS; round++) {
    let moved = false;
    for (const a of movable) {
      for (const b of discs) {
        if (a === b) continue;
        const need = (a.size + b.size + GAP_PX) * unitsPerPixel;
        let dx = a.x - b.x;
        let dy = a.y - b.y;
        const d = Math.hypot(dx, dy);
        if (d >= need) continue;
        if (d === 0) {
          // Two discs on the same spot: part them along a direction that depends only on their order.
          dx = Math.cos(discs.indexOf(a));
          dy = Math.sin(discs.indexOf(a));
        }
        const push = (need - d) / Math.max(d, 1e-9);
        const share = b.movable ? 0.5 : 1;
        const ux = d === 0 ? dx * need : dx * push;
        const uy = d === 0 ? dy * need : dy * push;
        a.x += ux * share;
        a.y += uy * share;
        if (b.movable) {
          b.x -= ux * share;
          b.y -= uy * share;
        }
        moved = true;
      }
    }
    if (!moved) return;
  }
}
