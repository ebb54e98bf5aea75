// Builds the prediction-interval model from cross-validated residuals and measures its coverage (issue 16;
// docs/calibration.md "Prediction intervals"). Each left-out row's prediction is described by its traits, and its
// unmeasured aspects are counted against the rows its fold was fitted on, so a residual carries the difficulty the
// prediction really had.
import {
  aspectCounts,
  coverageOf,
  type MeasuredCoverage,
  type PredictionTraits,
  traitsOf,
  unmeasuredAspects,
} from "../model/extrapolation.ts";
import {
  coverage,
  errorScale,
  fitIntervalModel,
  intervalFactors,
  type Residual,
  type SchemeCoverage,
} from "../model/intervals.ts";
import { placementName, precisionName } from "../model/score-point.ts";
import type { IntervalsFile } from "../model/intervals.ts";
import { PRIOR_PARAMS, type ModelParams } from "../model/params.ts";
import type { CalibrationContext } from "./context.ts";
import type { RowJob } from "./job.ts";
import type { MeasurementRow } from "./measurements.ts";
import { type PreparedRow, prepareRows } from "./predict.ts";
import { bootstrapDraws } from "./uncertainty.ts";
import { crossValidate, type CvScheme, cvGroupOf, type ValidationRow } from "./validate.ts";

export const THROUGHPUT = "throughput_samples_per_s";

/** The traits of a measured row's job (its first placement stands for the HBM shardings it is predicted with). */
export function jobTraits(job: RowJob): PredictionTraits {
  return traitsOf(job.parts, job.nodes, job.software, placementName(job.placements[0]!), precisionName(job.precision));
}

/** Traits of the resolved throughput rows, by row id. */
export function traitsById(prepared: readonly PreparedRow[]): Map<string, PredictionTraits> {
  const out = new Map<string, PredictionTraits>();
  for (const p of prepared) if (p.job && p.row.metric === THROUGHPUT) out.set(p.row.id, jobTraits(p.job));
  return out;
}

/** The coverage of the rows a model was fitted on (resolved throughput rows only). */
export function coverageOfRows(rows: readonly MeasurementRow[], traits: Map<string, PredictionTraits>) {
  return coverageOf(rows.map((r) => traits.get(r.id)).filter((t): t is PredictionTraits => t !== undefined));
}

/** A cross-validated residual with the row and fold it came from. */
export interface CvResidual extends Residual {
  id: string;
  scheme: CvScheme;
  group: string;
}

/**
 * The residuals of one cross-validation scheme: for each predicted row, r = ln(measured / predicted) and the number of
 * aspects it extrapolated in relative to its fold's training rows (all training rows outside its group).
 */
export function cvResiduals(
  scheme: CvScheme,
  cvRows: readonly ValidationRow[],
  checked: readonly MeasurementRow[],
  training: readonly MeasurementRow[],
  traits: Map<string, PredictionTraits>,
): CvResidual[] {
  const byId = new Map(checked.map((r) => [r.id, r]));
  const covByGroup = new Map<string, MeasuredCoverage>();
  const out: CvResidual[] = [];
  for (const v of cvRows) {
    const row = byId.get(v.id);
    const t = traits.get(v.id);
    if (!row || !t || v.predicted === null || !(v.predicted > 0) || !(v.measured > 0)) continue;
    const group = cvGroupOf(row, scheme);
    let cov = covByGroup.get(group);
    if (!cov) {
      cov = coverageOfRows(
        training.filter((r) => cvGroupOf(r, scheme) !== group && r.id !== v.id),
        traits,
      );
      covByGroup.set(group, cov);
    }
    out.push({
      id: v.id,
      scheme,
      group,
      r: Math.log(v.measured / v.predicted),
      unmeasured: aspectCounts(unmeasuredAspects(t, cov)),
    });
  }
  return out;
}

/**
 * Cross-conformal coverage of one scheme: for each of its groups, the interval model is fitted on the pooled residuals
 * of every scheme without the group's rows, then the group's residuals are checked against it. The shares say how
 * often a prediction for a left-out group falls inside its 80 % and 95 % intervals.
 */
export function schemeCoverage(scheme: CvScheme, pooled: readonly CvResidual[]): SchemeCoverage {
  const own = pooled.filter((x) => x.scheme === scheme);
  let in80 = 0,
    in95 = 0;
  const w80: number[] = [],
    w95: number[] = [];
  for (const group of [...new Set(own.map((x) => x.group))].sort()) {
    const test = own.filter((x) => x.group === group);
    const ids = new Set(test.map((x) => x.id));
    const m = fitIntervalModel(pooled.filter((x) => !ids.has(x.id)));
    const c = coverage(m, test);
    in80 += c.in80 * test.length;
    in95 += c.in95 * test.length;
    for (const x of test) {
      const s = errorScale(m, x.unmeasured);
      w80.push(Math.exp((m.q.hi80 - m.q.lo80) * s));
      w95.push(Math.exp((m.q.hi95 - m.q.lo95) * s));
    }
  }
  const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? Number.NaN;
  const n = Math.max(1, own.length);
  return { rows: own.length, in80: in80 / n, in95: in95 / n, median_width80: med(w80), median_width95: med(w95) };
}

export const INTERVAL_METHOD =
  "normalised split-conformal prediction over cross-validated log residuals (leave one system out and leave one " +
  "source out, pooled); sigma = sqrt(1 + k_hw h + k_sw s) for h hardware and s software aspects without " +
  "measurements; weights chosen for coverage by difficulty";

/** The schemes whose residuals the interval model pools: a new system, and a new source (often a new stack). */
export const INTERVAL_SCHEMES: readonly CvScheme[] = ["system", "source"];
/** Bootstrap refits kept for frontier robustness (each a parameter set; docs/calibration.md). */
export const INTERVAL_DRAWS = 16;

/**
 * Builds hardware/fit/intervals.json's content: cross-validates by system and by source (refits from the prior, about
 * 5 s a group on one core; on every core, refits.ts), pools the residuals, fits the interval model, measures each
 * scheme's cross-conformal coverage, and draws bootstrap parameter sets around the committed fit `fitted` (whose file
 * hash is `fitSha256`).
 */
export async function buildIntervals(
  rows: MeasurementRow[],
  ctx: CalibrationContext,
  fitted: ModelParams,
  fitSha256: string,
  log: (line: string) => void = () => {},
): Promise<IntervalsFile> {
  const traits = traitsById(prepareRows(rows, ctx.cat, fitted));
  const pooled: CvResidual[] = [];
  for (const scheme of INTERVAL_SCHEMES) {
    const cv = await crossValidate(rows, rows, ctx, PRIOR_PARAMS, THROUGHPUT, scheme);
    pooled.push(...cvResiduals(scheme, cv.rows, rows, rows, traits));
    // the same refits as `validate --cv --cv-by system,source` on the project's file, so the same summary
    const s = cv.summary;
    log(
      `cross-validated by ${scheme}: ${cv.rows.length} rows, median APE ${s.median_ape_pct?.toFixed(1)} %, ` +
        `p90 ${s.p90_ape_pct?.toFixed(1)} %, max ${s.max_ape_pct?.toFixed(0)} %`,
    );
  }
  const model = fitIntervalModel(pooled);
  const coverageByScheme = Object.fromEntries(INTERVAL_SCHEMES.map((s) => [s, schemeCoverage(s, pooled)]));
  const draws = await bootstrapDraws(rows, ctx, fitted, INTERVAL_DRAWS);
  log(`${draws.length} bootstrap refits`);
  return {
    fit_sha256: fitSha256,
    method: INTERVAL_METHOD,
    schemes: [...INTERVAL_SCHEMES],
    residuals: pooled.length,
    model,
    measured: coverageOfRows(rows, traits),
    coverage: coverageByScheme,
    draws,
  };
}

/** A measurement row's interval (same unit as its prediction) and whether it extrapolates. */
export interface RowInterval {
  lo80: number;
  hi80: number;
  lo95: number;
  hi95: number;
  extrapolated: boolean;
  unmeasured: string[];
}

/**
 * Intervals of checked throughput rows around their predictions, with unmeasured aspects counted against the
 * committed fit's coverage (`intervals.measured`). Rows without a prediction or a job get none.
 */
export function rowIntervals(
  prepared: readonly PreparedRow[],
  predicted: ReadonlyMap<string, number | null>,
  intervals: IntervalsFile,
): Map<string, RowInterval> {
  const out = new Map<string, RowInterval>();
  for (const p of prepared) {
    const y = predicted.get(p.row.id);
    if (!p.job || p.row.metric !== THROUGHPUT || y === null || y === undefined || !(y > 0)) continue;
    const unmeasured = unmeasuredAspects(jobTraits(p.job), intervals.measured);
    const f = intervalFactors(intervals.model, aspectCounts(unmeasured));
    const r = (v: number) => Number(v.toPrecision(6));
    out.set(p.row.id, {
      lo80: r(y * f.lo80),
      hi80: r(y * f.hi80),
      lo95: r(y * f.lo95),
      hi95: r(y * f.hi95),
      extrapolated: unmeasured.length > 0,
      unmeasured,
    });
  }
  return out;
}
