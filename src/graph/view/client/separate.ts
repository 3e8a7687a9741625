/**
 * Folder nodes sit at the centre of the nodes they hold, so closed folders
 * pile up where the layout put their nodes (often near one another). This
 * moves them apart, a little at a time, until no folder disc overlaps
 * another disc; the nodes that are shown stay where the layout put them.
 * Sizes are in pixels at the default zoom, positions in graph units.
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
