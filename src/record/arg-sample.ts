import { Reservoir } from "../measure/reservoir.js";
import type { NodeRecord } from "./recording.js";
import { encodeCase, type EncodedCase } from "../measure/case-encoding.js";

/**
 * `--capture-args`: a uniform sample of a node's real argument lists (with
 * the receiver of a method), kept in the structured clone format (see
 * src/measure/case-encoding.ts) so that the optimizer can replay them.
 * Bounded twice: at most `maxCount` lists, and a list whose serialized size
 * is above `maxBytes` is not kept (counted as over the cap). Values that cannot be cloned (functions, sockets,
 * class instances with private state) are counted, never kept, and never
 * fail the user's call. So memory stays under `maxCount × maxBytes`
 * whatever the program does.
 */
export class ArgumentSample {
  private readonly reservoir: Reservoir<EncodedCase>;
  private notCloneable = 0;
  private overCap = 0;
  private copying = false;

  constructor(
    readonly maxCount = 100,
    readonly maxBytes = 64 * 1024,
    seed = 1,
  ) {
    this.reservoir = new Reservoir(maxCount, seed);
  }

  /**
   * Offers one call's arguments (and receiver); returns quietly whatever
   * they are. Only a call the sample picks is serialized and copied, so a
   * node called a million times costs a million counter updates and about
   * `maxCount × ln(calls / maxCount)` copies; `notCloneable` and `overCap`
   * count among the picked calls.
   */
  offer(args: ArrayLike<unknown>, receiver?: unknown): void {
    // Copying reads the values, and a getter may call this very node: that inner call is not offered.
    if (this.copying) return;
    const slot = this.reservoir.admit();
    if (slot < 0) return;
    this.copying = true;
    try {
      this.keep(slot, args, receiver);
    } finally {
      this.copying = false;
    }
  }

  private keep(slot: number, args: ArrayLike<unknown>, receiver: unknown): void {
    let encoded: { encoded: EncodedCase; bytes: number };
    try {
      // Serializing checks that the values can be cloned, measures them, and is the copy kept.
      encoded = encodeCase(Array.prototype.slice.call(args), receiver);
    } catch {
      this.notCloneable++;
      return;
    }
    if (encoded.bytes > this.maxBytes) {
      this.overCap++;
      return;
    }
    this.reservoir.put(slot, encoded.encoded);
  }

  /** The sample as a recording keeps it. */
  toRecord(): NonNullable<NodeRecord["args"]> {
    return { kept: this.reservoir.items(), seen: this.reservoir.offered, notCloneable: this.notCloneable, overCap: this.overCap };
  }
}
