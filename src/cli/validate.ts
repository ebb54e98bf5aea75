// recsweep validate FILE: predicts every row of a measurement file with the committed fit and compares.
import { type CalibrationContext, calibrationContext } from "../calibrate/context.ts";
import {
  cvResiduals,
  INTERVAL_SCHEMES,
  type RowInterval,
  rowIntervals,
  schemeCoverage,
  traitsById,
} from "../calibrate/intervals.ts";
import { type MeasurementRow, readMeasurements } from "../calibrate/measurements.ts";
import { prepareRows } from "../calibrate/predict.ts";
import {
  crossValidate,
  cvGroupOf,
  CV_SCHEMES,
  type CvResult,
  type CvScheme,
  summaryByAccelerator,
  summaryByMetric,
  validateRows,
  CV_MIN_GROUP_ROWS,
} from "../calibrate/validate.ts";
import type { ErrorSummary } from "../calibrate/stats.ts";
import { loadFit } from "../fit/load.ts";
import { InputError } from "../input/errors.ts";
import type { SchemeCoverage } from "../model/intervals.ts";
import { type ModelParams, PRIOR_PARAMS } from "../model/params.ts";
import { MEASUREMENTS_FILE } from "../paths.ts";
import { parse } from "./args.ts";

export const VALIDATE_USAGE = `usage: recsweep validate FILE [--json] [--cv] [--cv-by SCHEMES] [--catalog DIR]

Builds the job each row describes, predicts its metric with the committed fit (hardware/fit/fit.json; it never
refits on FILE) and compares. Supported metrics: throughput_samples_per_s, node_power_w, all-reduce bus
bandwidth and NVLink effective bandwidth micro-benchmarks; others are reported as unsupported.
  --json   print one JSON object: {"rows":[...],"summary":{...}}
  --cv     cross-validation: refit from the prior on the project's measurements without each group, predict
           FILE's rows of it; by accelerator (summary over groups with >= ${CV_MIN_GROUP_ROWS} rows), by system
           (accelerator x count x host x nodes x fabric) and by source (one submitter in one MLPerf round, or
           one repository's document)
  --cv-by  comma-separated schemes of --cv (default accelerator,system,source; implies --cv)
  --catalog DIR  also use the parts and models of a user catalog folder (rows may name its models)
Exit code 0 whenever FILE is readable, 2 when it is not.`;

const fmt = (s: ErrorSummary) =>
  `n=${s.n} median ${s.median_ape_pct ?? "-"}%  p90 ${s.p90_ape_pct ?? "-"}%  ` +
  `max ${s.max_ape_pct ?? "-"}%  bias ${s.bias_pct ?? "-"}%`;

export async function validateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      json: { type: "boolean" },
      cv: { type: "boolean" },
      "cv-by": { type: "string" },
      catalog: { type: "string" },
    },
    VALIDATE_USAGE,
  );
  if (values.help) {
    console.log(VALIDATE_USAGE);
    return 0;
  }
  if (positionals.length !== 1)
    throw new InputError(`validate: expected one measurement file, got ${positionals.length}\n\n${VALIDATE_USAGE}`);
  const rows = readMeasurements(positionals[0]!);
  const ctx = calibrationContext(values.catalog);
  const fit = loadFit();
  const checked = validateRows(rows, ctx.cat, fit.params, ctx.tco, ctx.psNode);
  const summary = summaryByMetric(checked);
  const schemes = (values["cv-by"] ?? CV_SCHEMES.join(",")).split(",").map((s) => s.trim()) as CvScheme[];
  for (const s of schemes)
    if (!CV_SCHEMES.includes(s)) throw new InputError(`validate: --cv-by: unknown scheme '${s}' (${CV_SCHEMES})`);
  // --cv-by names the schemes of --cv, so it asks for cross-validation by itself
  const wantCv = !!values.cv || values["cv-by"] !== undefined;
  const training = wantCv ? readMeasurements(MEASUREMENTS_FILE) : [];
  const cvs: Array<{ scheme: CvScheme; cv: CvResult }> = [];
  if (wantCv)
    for (const s of schemes)
      cvs.push({ scheme: s, cv: await crossValidate(rows, training, ctx, PRIOR_PARAMS, undefined, s, progress(s)) });
  const cv = cvs.find((c) => c.scheme === "accelerator")?.cv ?? null;
  const intervals = fit.intervals
    ? rowIntervals(
        prepareRows(rows, ctx.cat, fit.params),
        new Map(checked.map((r) => [r.id, r.predicted])),
        fit.intervals,
      )
    : new Map<string, RowInterval>();
  const coverage = cvCoverage(cvs, rows, training, ctx, fit.params);
  if (values.json) {
    const byId = new Map(rows.map((r) => [r.id, r]));
    const out: Record<string, unknown> = {
      rows: checked.map(({ id, metric, measured, predicted, error_pct, status }) => {
        const iv = intervals.get(id);
        return {
          id,
          metric,
          measured,
          predicted,
          error_pct,
          status,
          lo80: iv?.lo80 ?? null,
          hi80: iv?.hi80 ?? null,
          lo95: iv?.lo95 ?? null,
          hi95: iv?.hi95 ?? null,
          extrapolated: iv ? iv.extrapolated : null,
          unmeasured: iv ? iv.unmeasured : null,
        };
      }),
      summary,
    };
    if (cv) out.cv = { groups: cv.groups, summary: cv.summary, groups_in_summary: cv.groupsInSummary };
    for (const c of cvs)
      out[`cv_${c.scheme}`] = {
        groups: c.cv.groups,
        summary: c.cv.summary,
        groups_in_summary: c.cv.groupsInSummary,
        interval_coverage: coverage[c.scheme] ?? null,
        // each row's prediction when its group was left out, so a tail can be traced to its rows
        rows: c.cv.rows.map(({ id, predicted, error_pct, status }) => ({
          id,
          group: cvGroupOf(byId.get(id)!, c.scheme),
          predicted,
          error_pct,
          status,
        })),
      };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return 0;
  }
  console.log(`fit: ${fit.file ?? "prior parameters (no hardware/fit/fit.json)"}`);
  console.log(
    `${"id".padEnd(6)} ${"metric".padEnd(32)} ${"accelerator".padEnd(17)} ` +
      `${"measured".padStart(12)} ${"predicted".padStart(12)} ${"error".padStart(8)} ` +
      `${"80 % interval".padStart(23)}  status`,
  );
  for (const r of checked) {
    console.log(
      `${r.id.padEnd(6)} ${r.metric.padEnd(32)} ${r.accelerator.padEnd(17)} ${String(r.measured).padStart(12)} ` +
        `${String(r.predicted ?? "-").padStart(12)} ` +
        `${(r.error_pct === null ? "-" : `${r.error_pct.toFixed(1)}%`).padStart(8)} ` +
        `${intervalText(intervals.get(r.id)).padStart(23)}  ${r.status}`,
    );
  }
  console.log("\nsummary by metric:");
  for (const [m, s] of Object.entries(summary)) {
    console.log(`  ${m}: ${fmt(s)}`);
    for (const [acc, g] of Object.entries(summaryByAccelerator(checked, m)))
      console.log(`    ${acc.padEnd(17)} ${fmt(g)}`);
  }
  for (const { scheme, cv } of cvs) {
    console.log(`\nleave-one-${scheme}-out cross-validation (throughput_samples_per_s):`);
    for (const [g, s] of Object.entries(cv.groups))
      console.log(
        `  ${g.padEnd(17)} ${fmt(s)}${cv.groupsInSummary.includes(g) ? "" : "  (fewer than 10 rows: not summarised)"}`,
      );
    const over = scheme === "accelerator" ? cv.groupsInSummary.join(", ") : `all ${cv.groupsInSummary.length} groups`;
    console.log(`  leave-one-${scheme}-out summary over ${over}: ${fmt(cv.summary)}`);
    const c = coverage[scheme];
    if (c)
      console.log(
        `  prediction intervals (cross-conformal): inside 80 %: ${(100 * c.in80).toFixed(1)} %, inside 95 %: ` +
          `${(100 * c.in95).toFixed(1)} % of ${c.rows} rows; median width hi/lo ` +
          `${c.median_width80.toFixed(2)} (80 %), ${c.median_width95.toFixed(2)} (95 %)`,
      );
  }
  return 0;
}

/** "lo-hi" of an 80 % interval, "*" appended when the row extrapolates; "-" without one. */
function intervalText(iv: RowInterval | undefined): string {
  if (!iv) return "-";
  const g = (v: number) => String(Number(v.toPrecision(3)));
  return `${g(iv.lo80)}-${g(iv.hi80)}${iv.extrapolated ? " *" : ""}`;
}

/**
 * Interval coverage per cross-validation scheme run: residuals of the schemes the interval model pools (system,
 * source) that ran, plus the scheme's own, counted against each fold's training rows (calibrate/intervals.ts).
 */
function cvCoverage(
  cvs: Array<{ scheme: CvScheme; cv: CvResult }>,
  rows: MeasurementRow[],
  training: MeasurementRow[],
  ctx: CalibrationContext,
  params: ModelParams,
): Partial<Record<CvScheme, SchemeCoverage>> {
  if (!cvs.length) return {};
  const traits = traitsById(prepareRows(training, ctx.cat, params));
  const residuals = new Map(cvs.map((c) => [c.scheme, cvResiduals(c.scheme, c.cv.rows, rows, training, traits)]));
  const pooled = INTERVAL_SCHEMES.flatMap((s) => residuals.get(s) ?? []);
  const out: Partial<Record<CvScheme, SchemeCoverage>> = {};
  for (const { scheme } of cvs) {
    const own = residuals.get(scheme) ?? [];
    const pool = INTERVAL_SCHEMES.includes(scheme) ? pooled : [...pooled, ...own];
    out[scheme] = schemeCoverage(scheme, pool.length > own.length ? pool : own);
  }
  return out;
}

/** Progress of --cv on stderr (its refits take minutes): a line at each tenth of a scheme's refits. */
function progress(scheme: string): (done: number, total: number) => void {
  const t0 = Date.now();
  let shown = 0;
  return (done, total) => {
    if (done !== total && Math.floor((10 * done) / total) === shown) return;
    shown = Math.floor((10 * done) / total);
    const s = Math.round((Date.now() - t0) / 1000);
    console.error(`validate --cv by ${scheme}: ${done} of ${total} refits (${s} s)`);
  };
}
