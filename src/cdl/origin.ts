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

  /** Line and column of the start, without building a whole Location (the IR needs only these). */
  position(): { file: string; line: number; column: number } {
    if (this.cached !== undefined) return this.cached;
    const { line, column } = this.source.position(this.start);
    return { file: this.source.file, line, column };
  }

  get text(): string {
    return this.source.text.slice(this.start, this.end);
  }
}
