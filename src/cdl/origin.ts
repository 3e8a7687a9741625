import type { Location, SourceText } from "../diagnostics/index.js";
import type { Origin } from "./model.js";

/**
 * An Origin that computes its location and text lazily: building the model
 * of a large file creates one per bound and selector, and eager line/column
 * lookups made the checker allocation-bound.
 */
export class SourceOrigin implements Origin {
  private cached: Location | undefined;

  constructor(
    readonly source: SourceText,
    readonly start: number,
    readonly end: number,
  ) {}

  get location(): Location {
    return (this.cached ??= this.source.locate(this));
  }

  get text(): string {
    return this.source.text.slice(this.start, this.end);
  }
}
