import type { Operator } from "../types.js";
import { accumulatorMutation } from "./accumulator-mutation.js";
import { algorithmSwap } from "./algorithm-swap.js";
import { earlyExit } from "./early-exit.js";
import { hoistInvariant } from "./hoist-invariant.js";
import { indexLoop } from "./index-loop.js";
import { loopFusion } from "./loop-fusion.js";
import { mapIndex } from "./map-index.js";
import { memoize } from "./memoize.js";
import { setMembership } from "./set-membership.js";
import { sortKeys } from "./sort-keys.js";
import { stringBuilder } from "./string-builder.js";

/** Every operator the engine knows, one module each (spec section 7). */
export const operators: readonly Operator[] = [algorithmSwap, setMembership, mapIndex, hoistInvariant, loopFusion, accumulatorMutation, earlyExit, sortKeys, stringBuilder, indexLoop, memoize];
