// Error statistics of predictions against measurements. Percentages are plain numbers (12.5 means 12.5 %).

export interface ErrorSummary {
  n: number;
  median_ape_pct: number | null;
  p90_ape_pct: number | null;
  max_ape_pct: number | null;
  bias_pct: number | null;
}

/** Quantile by linear interpolation between closest ranks (the common "type 7" definition). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos),
    hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const round = (v: number) => Number(v.toFixed(2));

/** `n` counts every row (resolved or not); statistics are over the resolved rows' signed errors. */
export function summarize(n: number, errorsPct: readonly number[]): ErrorSummary {
  if (errorsPct.length === 0) return { n, median_ape_pct: null, p90_ape_pct: null, max_ape_pct: null, bias_pct: null };
  const ape = errorsPct.map(Math.abs).sort((a, b) => a - b);
  const signed = [...errorsPct].sort((a, b) => a - b);
  return {
    n,
    median_ape_pct: round(quantile(ape, 0.5)),
    p90_ape_pct: round(quantile(ape, 0.9)),
    max_ape_pct: round(ape[ape.length - 1]!),
    bias_pct: round(quantile(signed, 0.5)),
  };
}

export const errorPct = (predicted: number, measured: number) => (100 * (predicted - measured)) / measured;
