/** Pure statistics for cdlc's measurement decisions. No I/O, no globals. */
export { createRng, type Rng } from "./prng.js";
export { logGamma, incompleteBeta, erfc } from "./special.js";
export { normalCdf, normalQuantile, studentTCdf, studentTQuantile, binomialCdf, binomialSf } from "./distributions.js";
export { quantileSorted, sortAscending, quantileBounds, quantileSignTest, countBelow, runDesignEffect, type QuantileBounds } from "./quantile.js";
export { mean, variance, runMeanEstimate, tBounds, tTest, type TEstimate } from "./mean.js";
export { wilsonInterval, scoreTest } from "./proportion.js";
export { holm, bonferroni, type HolmResult } from "./holm.js";
export { spendingWeights, sequentialPValue } from "./spending.js";
export { pairedLogRatio, pairedLogSd, bootstrapRatio, meanOfRunMedians, type RatioEstimate, type BootstrapOptions } from "./compare.js";
export { minimumDetectableEffect, pairsForEffect } from "./power.js";
export { median, selectKth } from "./select.js";
