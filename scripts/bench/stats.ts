/** Summaries of repeated measurements. */

/** min / median / max of a set of repeats, with the repeats themselves. */
export interface Summary {
  n: number;
  min: number;
  median: number;
  max: number;
  values: number[];
}

/** Summarises repeats; an empty set gives NaN everywhere (reported, never hidden). */
export function summarise(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { n, min: NaN, median: NaN, max: NaN, values: [] };
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { n, min: sorted[0]!, median, max: sorted[n - 1]!, values: [...values] };
}

/** Sum of a list of numbers. */
export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
