// recsweep calibrate: fits the model's efficiency parameters and writes hardware/fit/fit.json with provenance.
import { createHash } from "node:crypto";
import { dirname, relative } from "node:path";
import { type CalibrationContext, calibrationContext } from "../calibrate/context.ts";
import { buildIntervals } from "../calibrate/intervals.ts";
import { fitParams, PRIOR_WEIGHT } from "../calibrate/fit.ts";
import {
  MAX_MEASUREMENT_BYTES,
  type MeasurementRow,
  parseMeasurements,
  readMeasurements,
} from "../calibrate/measurements.ts";
import { parameterReport } from "../calibrate/uncertainty.ts";
import { readTextFile } from "../input/read.ts";
import { summaryByMetric, validateRows } from "../calibrate/validate.ts";
import { PRIOR_PARAMS } from "../model/params.ts";
import { writeFileAtomic } from "../output/atomic.ts";
import { checkOutFile, makeFolders, outArgument, outPathError } from "../output/out-target.ts";
import {
  CALIBRATION_TABLE_FILE,
  FIT_FILE,
  INTERVALS_FILE,
  MEASUREMENTS_FILE,
  PROJECT_ROOT,
  TOOL_VERSION,
} from "../paths.ts";
import { InputError } from "../input/errors.ts";
import { loadFit } from "../fit/load.ts";
import { storeCalibrationTable } from "../output/calibration-table.ts";
import { parse } from "./args.ts";

export const CALIBRATE_USAGE = `usage: recsweep calibrate [--data FILE...] [--out FILE]
       recsweep calibrate --intervals-only | --table-only

Fits the cost model's efficiency parameters (GEMM and gather efficiency, link efficiencies, overlap, software
stacks' efficiency and per-iteration overhead, evaluation overhead) to measurements by minimising squared log
error, and writes them with their provenance (rows used, error before and after, tool version).
  --data FILE   measurement CSV in the project's format (repeatable; default hardware/measurements/measurements.csv)
  --out FILE    where to write the fit (default hardware/fit/fit.json, which runs and validate use); an existing
                file is replaced only if it is a fit recsweep calibrate wrote
  --bootstrap N refits over sources resampled with replacement, for each parameter's 10-90 % band (default 8)
  --intervals-only
                keep the committed fit; only rebuild its prediction intervals (hardware/fit/intervals.json:
                cross-validation by system and by source, then bootstrap draws; about 25 minutes on 2 cores) and
                its calibration table. A fit written to hardware/fit/fit.json always rebuilds both.
  --table-only  keep the committed fit; only store its calibration table again (hardware/fit/calibration-table.json,
                the predicted-vs-measured rows runs copy), after the catalog or the model changed; seconds`;

/** Stores the committed fit's calibration table (its fingerprint covers fit, catalog and measurements). */
function writeTable(ctx: CalibrationContext): void {
  const fit = loadFit();
  storeCalibrationTable({ params: fit.params, fitHash: fit.hash, catalogHash: ctx.cat.hash });
  console.log(`wrote ${CALIBRATION_TABLE_FILE}`);
}

/** Rebuilds hardware/fit/intervals.json around the committed fit (docs/calibration.md "Prediction intervals"). */
async function writeIntervals(rows: MeasurementRow[], ctx: CalibrationContext): Promise<void> {
  const fit = loadFit();
  const data = await buildIntervals(rows, ctx, fit.params, fit.hash, (line) => console.log(line));
  const round = (v: unknown): unknown =>
    typeof v === "number"
      ? Number(v.toPrecision(6))
      : Array.isArray(v)
        ? v.map(round)
        : v && typeof v === "object"
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, round(x)]))
          : v;
  writeFileAtomic(INTERVALS_FILE, `${JSON.stringify(round(data), null, 2)}\n`);
  for (const [scheme, c] of Object.entries(data.coverage))
    console.log(
      `  leave one ${scheme} out: ${c.rows} rows, inside 80 %: ${(100 * c.in80).toFixed(1)} %, inside 95 %: ` +
        `${(100 * c.in95).toFixed(1)} %, median width hi/lo ${c.median_width80.toFixed(2)} (80 %)`,
    );
  console.log(`wrote ${INTERVALS_FILE}`);
}

export async function calibrateCommand(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    {
      data: { type: "string", multiple: true },
      out: { type: "string" },
      bootstrap: { type: "string" },
      "intervals-only": { type: "boolean" },
      "table-only": { type: "boolean" },
    },
    CALIBRATE_USAGE,
  );
  if (values.help) {
    console.log(CALIBRATE_USAGE);
    return 0;
  }
  if (values["intervals-only"] || values["table-only"]) {
    const flag = values["intervals-only"] ? "--intervals-only" : "--table-only";
    if (values.out !== undefined || values.data?.length || (values["intervals-only"] && values["table-only"]))
      throw new InputError(`calibrate: ${flag} works on the committed fit and measurements alone`);
    const ctx = calibrationContext();
    writeTable(ctx);
    if (values["intervals-only"]) await writeIntervals(readMeasurements(MEASUREMENTS_FILE), ctx);
    return 0;
  }
  // 0 draws: no bands; at most 1000 (each draw is a whole refit, ~30 s on 2 cores)
  const bootstrap = values.bootstrap === undefined ? 8 : Number(values.bootstrap);
  if (!/^\d+$/.test(values.bootstrap ?? "8") || bootstrap > 1000)
    throw new InputError(`--bootstrap: '${values.bootstrap}' (expected a whole number of draws, 0 to 1000)`);
  const out = values.out === undefined ? FIT_FILE : outArgument(values.out)!;
  // only a fit recsweep calibrate wrote is replaced: never a user's file
  const isFit = (text: string) => {
    const d = JSON.parse(text) as { params?: unknown; provenance?: { tool?: unknown } };
    return !!d.params && d.provenance?.tool === "recsweep calibrate";
  };
  checkOutFile(out, isFit, "a fit written by recsweep calibrate");
  const files = values.data?.length ? values.data : [MEASUREMENTS_FILE];
  // each file read once (a pipe cannot be read twice): its rows, and its hash for the provenance
  const texts = files.map((f) => readTextFile(f, MAX_MEASUREMENT_BYTES, { expected: "a UTF-8 measurement CSV file" }));
  const rows = files.flatMap((f, i) => parseMeasurements(f, texts[i]!));
  const ctx = calibrationContext();
  // a fit needs rows the model can predict: without any it would write the prior as if fitted
  const usable = validateRows(rows, ctx.cat, PRIOR_PARAMS, ctx.tco, ctx.psNode).filter((r) => r.predicted !== null);
  if (usable.length === 0)
    throw new InputError(
      `${files.join(", ")}: no row the model can predict (${rows.length} row(s); expected measurement rows of a ` +
        "supported metric that resolve to catalog parts: see recsweep validate FILE)",
    );
  const fit = fitParams(rows, ctx.cat, ctx.tco, ctx.psNode, PRIOR_PARAMS);
  const before = summaryByMetric(validateRows(rows, ctx.cat, PRIOR_PARAMS, ctx.tco, ctx.psNode));
  // docs/calibration.md: bootstrap over sources, bounds, and the rows that identify each parameter
  const report = await parameterReport(rows, ctx, fit.params, bootstrap);
  const after = summaryByMetric(validateRows(rows, ctx.cat, fit.params, ctx.tco, ctx.psNode));
  const round = (v: unknown): unknown =>
    typeof v === "number"
      ? Number(v.toPrecision(6))
      : v && typeof v === "object"
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, round(x)]))
        : v;
  const doc = {
    params: round(fit.params),
    provenance: {
      sources: files.map((f) => ({
        ref: relative(PROJECT_ROOT, f),
        supports: "the measurements fitted to; each row names its own published source",
      })),
      tool: "recsweep calibrate",
      tool_version: TOOL_VERSION,
      data: files.map((f, i) => ({
        file: relative(PROJECT_ROOT, f),
        sha256: createHash("sha256").update(texts[i]!, "utf8").digest("hex"),
      })),
      method:
        "Nelder-Mead on squared log error, rows of the same runs weighted as one observation, weak pull toward " +
        `the prior (weight ${PRIOR_WEIGHT} in transformed coordinates); deterministic`,
      parameters: round(report),
      rows_used: fit.used,
      observations: fit.used.length,
      error_before: before,
      error_after: after,
      objective_before: Number(fit.objectiveBefore.toPrecision(6)),
      objective_after: Number(fit.objectiveAfter.toPrecision(6)),
    },
  };
  makeFolders(dirname(out), out);
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  try {
    writeFileAtomic(out, text);
  } catch (e) {
    throw outPathError(out, "write the fit", e);
  }
  if (out === FIT_FILE) {
    // the fit runs use: store its predicted-vs-measured table too, so runs copy it instead of computing it
    writeTable(ctx);
    await writeIntervals(rows, ctx);
  }
  const t = after.throughput_samples_per_s;
  console.log(
    `fitted ${fit.used.length} rows from ${files.length} file(s); throughput median APE ` +
      `${before.throughput_samples_per_s?.median_ape_pct}% -> ${t?.median_ape_pct}%, ` +
      `p90 ${before.throughput_samples_per_s?.p90_ape_pct}% -> ${t?.p90_ape_pct}%`,
  );
  for (const [name, r] of Object.entries(report))
    console.log(
      `  ${name.padEnd(24)} ${String(Number(r.value.toPrecision(4))).padStart(10)}  range [${r.lo}, ${r.hi}]` +
        `${r.at_bound ? " AT BOUND" : ""}  p10-p90 ${r.p10?.toPrecision(3)}-${r.p90?.toPrecision(3)}` +
        `  ${r.rows_sensitive} rows; most: ${r.identified_by.slice(0, 3).join(" ")}`,
    );
  console.log(`wrote ${out}`);
  return 0;
}
