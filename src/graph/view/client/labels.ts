import type { Settings } from "sigma/settings";
import type { NodeDisplayData, PartialButFor } from "sigma/types";
import type { LabelBox } from "../page-types.js";

/**
 * Labels that never overlap. sigma picks which labels to draw (the largest
 * node of each grid cell, and forced ones) but lets the picked ones
 * overlap; every label goes through this drawer, which skips one whose box
 * would cross a label already drawn in the same frame. The boxes drawn are
 * kept, in viewport pixels, so that a test can read what the renderer drew.
 */


type LabelData = PartialButFor<NodeDisplayData, "x" | "y" | "size" | "label" | "color">;

export class LabelLayer {
  private boxes: LabelBox[] = [];
  private readonly measure = document.createElement("canvas").getContext("2d")!;

  /** Called before each frame: a frame's labels are chosen afresh. */
  reset(): void {
    this.boxes = [];
  }

  drawn(): LabelBox[] {
    return this.boxes.slice();
  }

  /** The drawer sigma calls for each label it picked. */
  readonly draw = (context: CanvasRenderingContext2D, data: LabelData, settings: Settings): void => {
    if (!data.label) return;
    const size = settings.labelSize;
    const font = `${settings.labelWeight} ${size}px ${settings.labelFont}`;
    this.measure.font = font;
    const x1 = data.x + data.size + 3;
    const baseline = data.y + size / 3;
    const box = { label: data.label, x1, x2: x1 + this.measure.measureText(data.label).width, y1: baseline - size * 0.8, y2: baseline + size * 0.25 };
    // A little air between labels: two that touch read as one.
    if (this.boxes.some((b) => box.x1 < b.x2 + 2 && b.x1 < box.x2 + 2 && box.y1 < b.y2 + 1 && b.y1 < box.y2 + 1)) return;
    this.boxes.push(box);
    context.font = font;
    // A halo keeps the text readable over edges.
    context.lineWidth = 3;
    context.strokeStyle = "rgba(255,255,255,0.85)";
    context.strokeText(data.label, x1, baseline);
    context.fillStyle = "#1d2330";
    context.fillText(data.label, x1, baseline);
  };
}
