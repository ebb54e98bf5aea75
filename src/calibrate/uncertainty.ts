// How sure the fit is of each parameter (docs/calibration.md, "Uncertainty and identification"): a bootstrap over
// independent sources (resample whole sources with replacement, refit, take the 10-90 % band), whether the value sits
// at a bound of its physical range, and which rows identify it (the rows whose prediction moves most with it).
import type { ModelParams } from "../model/params.ts";
import type { CalibrationContext } from "./context.ts";
import type { MeasurementRow } from "./measurements.ts";
import { predictRow, prepareRows } from "./predict.ts";
import { PARAMETER_RANGES } from "./ranges.ts";
import { refitAll, type RefitJob } from "./refits.ts";
import { sourceOf, CV_FIT_EFFORT } from "./validate.ts";
import { seededRandom } from "../model/random.ts";

export interface ParameterReport {
  value: number;
  lo: number;
  hi: number;
  /** within 0.5 % of the range's width (or of the value, on log scales) from a bound: the data push past it */
  at_bound: boolean;
  /** 10th and 90th percentile over bootstrap refits; null when not bootstrapped */
  p10: number | null;
  p90: number | null;
  /** rows whose predicted throughput moves most when the parameter moves 10 % (largest first) */
  identified_by: string[];
  /** rows whose prediction moves more than 1 % with a 10 % move of the parameter */
  rows_sensitive: number;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))]!;
};

/**
 * Parameter sets of `n` refits, each on whole sources resampled with replacement (a source: validate.ts sourceOf),
 * started from `fitted`; deterministic (seeded generator).
 */
export async function bootstrapDraws(
  rows: MeasurementRow[],
  ctx: CalibrationContext,
  fitted: ModelParams,
  n: number,
): Promise<ModelParams[]> {
  const bySource = new Map<string, MeasurementRow[]>();
  for (const r of rows) bySource.set(sourceOf(r), [...(bySource.get(sourceOf(r)) ?? []), r]);
  const sources = [...bySource.keys()].sort();
  const jobs: RefitJob[] = [];
  const next = seededRandom(15);
  for (let b = 0; b < n; b++) {
    const sample: MeasurementRow[] = [];
    for (let i = 0; i < sources.length; i++)
      sample.push(...bySource.get(sources[Math.floor(next() * sources.length)]!)!);
    jobs.push({ rows: sample, start: fitted, effort: CV_FIT_EFFORT });
  }
  return refitAll(jobs, ctx);
}

export async function parameterReport(
  rows: MeasurementRow[],
  ctx: CalibrationContext,
  fitted: ModelParams,
  bootstrapFits: number,
): Promise<Record<string, ParameterReport>> {
  const { cat, tco, psNode } = ctx;
  const prepared = prepareRows(rows, cat, fitted).filter((p) => p.job && p.row.metric === "throughput_samples_per_s");
  const base = prepared.map((p) => predictRow(p, fitted, tco, psNode).predicted);
  const draws = await bootstrapDraws(rows, ctx, fitted, bootstrapFits);
  const out: Record<string, ParameterReport> = {};
  for (const r of PARAMETER_RANGES.filter((x) => x.fitted)) {
    const v = fitted[r.name];
    const width = r.scale === "log" ? Math.log(r.hi / r.lo) : r.hi - r.lo;
    const pos = r.scale === "log" ? Math.log(v / r.lo) : v - r.lo;
    const atBound = pos <= 0.005 * width || pos >= 0.995 * width;
    const moved = { ...fitted, [r.name]: Math.min(r.hi, v * 1.1) === v ? v * 0.9 : Math.min(r.hi, v * 1.1) };
    const shifts = prepared.map((p, i) => {
      const q = predictRow(p, moved, tco, psNode).predicted;
      return { id: p.row.id, d: q && base[i] ? Math.abs(Math.log(q / base[i]!)) : 0 };
    });
    shifts.sort((a, b) => b.d - a.d || a.id.localeCompare(b.id));
    const vals = draws.map((d) => d[r.name]);
    out[r.name] = {
      value: v,
      lo: r.lo,
      hi: r.hi,
      at_bound: atBound,
      p10: vals.length ? quantile(vals, 0.1) : null,
      p90: vals.length ? quantile(vals, 0.9) : null,
      identified_by: shifts
        .filter((s) => s.d > 0.01)
        .slice(0, 5)
        .map((s) => s.id),
      rows_sensitive: shifts.filter((s) => s.d > 0.01).length,
    };
  }
  return out;
}
