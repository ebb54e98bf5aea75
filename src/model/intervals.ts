// Prediction intervals for throughput (issue 16; method in docs/calibration.md "Prediction intervals"): normalised
// split-conformal intervals over cross-validated log residuals. A prediction that extrapolates in h hardware aspects
// and s software aspects (model/extrapolation.ts) has a log-error scale sigma = sqrt(1 + k_hw h + k_sw s): each
// unmeasured aspect adds an independent share k of a fully measured prediction's error variance. The interval is
//   [predicted * exp(q_lo * sigma), predicted * exp(q_hi * sigma)]
// where q_lo, q_hi are conformal quantiles of the normalised residuals ln(measured / predicted) / sigma.
// Pure: the interval model is data (hardware/fit/intervals.json), built by calibrate/intervals.ts.
import type { AspectCounts, MeasuredCoverage } from "./extrapolation.ts";
import type { ModelParams } from "./params.ts";

/** Quantiles of the normalised log residual; lo < 0 < hi in practice (not required). */
export interface IntervalQuantiles {
  lo80: number;
  hi80: number;
  lo95: number;
  hi95: number;
}

export interface IntervalModel {
  /** error variance added per unmeasured hardware or layout aspect, as a share of a fully measured prediction's */
  k_hardware: number;
  /** error variance added per unmeasured software aspect (framework on the vendor, release) */
  k_software: number;
  q: IntervalQuantiles;
}

/** Multiplicative factors on a predicted throughput: lo80 <= 1 <= hi80 when the residual quantiles straddle 0. */
export type IntervalFactors = IntervalQuantiles;

/** sigma = sqrt(1 + k_hw h + k_sw s): the log-error scale of a prediction with `unmeasured` aspects of each kind. */
export function errorScale(m: Pick<IntervalModel, "k_hardware" | "k_software">, unmeasured: AspectCounts): number {
  return Math.sqrt(1 + m.k_hardware * unmeasured.hardware + m.k_software * unmeasured.software);
}

/** The factors that turn a predicted throughput into its 80 % and 95 % interval bounds. */
export function intervalFactors(m: IntervalModel, unmeasured: AspectCounts): IntervalFactors {
  const s = errorScale(m, unmeasured);
  return {
    lo80: Math.exp(m.q.lo80 * s),
    hi80: Math.exp(m.q.hi80 * s),
    lo95: Math.exp(m.q.lo95 * s),
    hi95: Math.exp(m.q.hi95 * s),
  };
}

/**
 * The conformal quantile of level `level` (e.g. 0.9) of n scores: the ceil((n + 1) level)-th smallest (split
 * conformal prediction, Lei et al. 2018, "Distribution-free predictive inference for regression", JASA 113(523),
 * eq. in section 2.2), clamped to the largest score when (n + 1) level > n.
 */
export function conformalQuantile(sortedScores: ArrayLike<number>, level: number): number {
  const n = sortedScores.length;
  if (n === 0) return Number.NaN;
  const rank = Math.min(n, Math.max(1, Math.ceil((n + 1) * level)));
  return sortedScores[rank - 1]!;
}

/** Lower-tail counterpart: the floor((n + 1) level)-th smallest score, at least the smallest. */
export function conformalLowerQuantile(sortedScores: ArrayLike<number>, level: number): number {
  const n = sortedScores.length;
  if (n === 0) return Number.NaN;
  const rank = Math.min(n, Math.max(1, Math.floor((n + 1) * level)));
  return sortedScores[rank - 1]!;
}

/** One cross-validated residual: r = ln(measured / predicted), with the aspects its prediction extrapolated in. */
export interface Residual {
  r: number;
  unmeasured: AspectCounts;
}

type Weights = Pick<IntervalModel, "k_hardware" | "k_software">;

/** The equal-tailed conformal quantiles of normalised residuals r / sigma for weights `k`. */
export function quantilesFor(residuals: readonly Residual[], k: Weights): IntervalQuantiles {
  const s = Float64Array.from(residuals, (x) => x.r / errorScale(k, x.unmeasured)).sort();
  return {
    lo80: conformalLowerQuantile(s, 0.1),
    hi80: conformalQuantile(s, 0.9),
    lo95: conformalLowerQuantile(s, 0.025),
    hi95: conformalQuantile(s, 0.975),
  };
}

/** Candidate weights: 0 to 8 in steps of 0.2 (8: an unmeasured aspect adds 8x a measured prediction's variance). */
export const K_GRID = Array.from({ length: 41 }, (_, i) => Number((i * 0.2).toFixed(1)));

/**
 * Fits the interval model to cross-validated residuals: for each pair of weights of K_GRID, the pooled quantiles,
 * then the pair whose intervals cover each group of equal difficulty (same counts of unmeasured aspects) closest to
 * their nominal 80 % and 95 % (sum over groups of rows x squared coverage gap; ties: the smaller weights). The
 * weights are chosen for coverage conditional on difficulty, the quantiles for marginal coverage.
 */
export function fitIntervalModel(residuals: readonly Residual[]): IntervalModel {
  let best: IntervalModel | null = null,
    bestLoss = Infinity;
  const groups = new Map<string, Residual[]>();
  for (const x of residuals) {
    const key = `${x.unmeasured.hardware}/${x.unmeasured.software}`;
    groups.set(key, [...(groups.get(key) ?? []), x]);
  }
  for (const kh of K_GRID)
    for (const ks of K_GRID) {
      const k = { k_hardware: kh, k_software: ks };
      const m = { ...k, q: quantilesFor(residuals, k) };
      let loss = 0;
      for (const group of groups.values()) {
        const c = coverage(m, group);
        loss += group.length * ((c.in80 - 0.8) ** 2 + (c.in95 - 0.95) ** 2);
      }
      if (loss < bestLoss - 1e-12) {
        bestLoss = loss;
        best = m;
      }
    }
  return best ?? { k_hardware: 0, k_software: 0, q: quantilesFor(residuals, { k_hardware: 0, k_software: 0 }) };
}

/** Share of residuals inside their 80 % and 95 % intervals, and the median 80 % width as hi / lo. */
export function coverage(
  m: IntervalModel,
  residuals: readonly Residual[],
): { in80: number; in95: number; medianWidth80: number } {
  let in80 = 0,
    in95 = 0;
  const widths: number[] = [];
  for (const x of residuals) {
    const s = errorScale(m, x.unmeasured);
    if (x.r >= m.q.lo80 * s && x.r <= m.q.hi80 * s) in80++;
    if (x.r >= m.q.lo95 * s && x.r <= m.q.hi95 * s) in95++;
    widths.push(Math.exp((m.q.hi80 - m.q.lo80) * s));
  }
  widths.sort((a, b) => a - b);
  const n = Math.max(1, residuals.length);
  return { in80: in80 / n, in95: in95 / n, medianWidth80: widths[Math.floor((widths.length - 1) / 2)] ?? Number.NaN };
}

/** Coverage of one cross-validation scheme's left-out rows (cross-conformal; calibrate/intervals.ts). */
export interface SchemeCoverage {
  rows: number;
  in80: number;
  in95: number;
  /** median of hi80 / lo80 */
  median_width80: number;
  median_width95: number;
}

/** What hardware/fit/intervals.json holds (written by `recsweep calibrate --intervals`). */
export interface IntervalsFile {
  /** sha256 of the fit.json the intervals were built beside */
  fit_sha256: string;
  method: string;
  schemes: string[];
  residuals: number;
  model: IntervalModel;
  /** the traits the fitted rows cover: what a prediction's unmeasured aspects are counted against */
  measured: MeasuredCoverage;
  coverage: Record<string, SchemeCoverage>;
  /** parameter sets of bootstrap refits over sources (frontier robustness) */
  draws: ModelParams[];
}
