/** The k-th smallest (0-based) value, by quickselect on a scratch copy; O(n) expected. */
export function selectKth(values: ArrayLike<number>, k: number, scratch?: Float64Array): number {
  const n = values.length;
  const a = scratch && scratch.length >= n ? scratch.subarray(0, n) : new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = values[i]!;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** Median (mean of the two middle values for even n). */
export function median(values: ArrayLike<number>, scratch?: Float64Array): number {
  const n = values.length;
  if (n === 0) return NaN;
  if (n % 2 === 1) return selectKth(values, (n - 1) / 2, scratch);
  return (selectKth(values, n / 2 - 1, scratch) + selectKth(values, n / 2, scratch)) / 2;
}
