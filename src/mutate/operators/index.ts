import type { Operator } from "../types.js";
import { accumulatorMutation } from "./accumulator-mutation.js";
import { earlyExit } from "./early-exit.js";
import { hoistInvariant } from "./hoist-invariant.js";
import { indexLoop } from "./index-loop.js";
import { mapIndex } from "./map-index.js";
import { setMembership } from "./set-membership.js";
import { stringBuilder } from "./string-builder.js";

/** Every operator the engine knows, one module each (spec section 7). */
export const operators: readonly Operator[] = [setMembership, mapIndex, hoistInvariant, accumulatorMutation, earlyExit, stringBuilder, indexLoop];
