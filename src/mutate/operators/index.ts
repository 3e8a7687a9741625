import type { Operator } from "../types.js";
import { earlyExit } from "./early-exit.js";

/** Every operator the engine knows, one module each (spec section 7). */
export const operators: readonly Operator[] = [earlyExit];
