import type { Operator } from "../types.js";
import { accumulatorMutation } from "./accumulator-mutation.js";
import { earlyExit } from "./early-exit.js";
import { indexLoop } from "./index-loop.js";
import { mapIndex } from "./map-index.js";

/** Every operator the engine knows, one module each (spec section 7). */
export const operators: readonly Operator[] = [mapIndex, accumulatorMutation, earlyExit, indexLoop];
