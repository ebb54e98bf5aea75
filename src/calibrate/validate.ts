// Compares predictions with measurements, row by row and per metric; cross-validates by accelerator.
import type { Catalog } from "../catalog/load.ts";
import type { buildNodeModel } from "../model/node.ts";
import type { ModelParams } from "../model/params.ts";
import type { Tco } from "../schema/catalog.ts";
import { fitParams } from "./fit.ts";
import type { MeasurementRow } from "./measurements.ts";
import { predictRow, prepareRows } from "./predict.ts";
import { errorPct, summarize, type ErrorSummary } from "./stats.ts";

export interface ValidationRow {
  id: string;
  metric: string;
  accelerator: string;
  measured: number;
  predicted: number | null;
  error_pct: number | null;
  status: string;
}

const round = (v: number) => Number(v.toPrecision(6));

export function validateRows(
  rows: MeasurementRow[],
  cat: Catalog,
  params: ModelParams,
  tco: Tco,
  psNode: ReturnType<typeof buildNodeModel>,
): ValidationRow[] {
  return prepareRows(rows, cat, params).map((p) => {
    let pred: { predicted: number | null; status: string };
    try {
      pred = predictRow(p, params, tco, psNode);
    } catch (e) {
      pred = { predicted: null, status: `unresolved: ${(e as Error).message}` };
    }
    const measured = Number(p.row.value);
    return {
      id: p.row.id,
      metric: p.row.metric,
      accelerator: p.row.accelerator || "cpu-only",
      measured,
      predicted: pred.predicted === null ? null : round(pred.predicted),
      error_pct: pred.predicted === null ? null : Number(errorPct(pred.predicted, measured).toFixed(2)),
      status: pred.status,
    };
  });
}

/** Per metric: n counts every row of the metric; the statistics cover resolved rows. Unsupported metrics are left out. */
export function summaryByMetric(rows: ValidationRow[]): Record<string, ErrorSummary> {
  const out: Record<string, ErrorSummary> = {};
  for (const metric of [...new Set(rows.map((r) => r.metric))].sort()) {
    const of = rows.filter((r) => r.metric === metric);
    if (of.every((r) => r.status.startsWith("unsupported"))) continue;
    out[metric] = summarize(
      of.length,
      of.filter((r) => r.error_pct !== null).map((r) => r.error_pct!),
    );
  }
  return out;
}

export function summaryByAccelerator(rows: ValidationRow[], metric: string): Record<string, ErrorSummary> {
  const of = rows.filter((r) => r.metric === metric);
  const out: Record<string, ErrorSummary> = {};
  for (const acc of [...new Set(of.map((r) => r.accelerator))].sort()) {
    const g = of.filter((r) => r.accelerator === acc);
    out[acc] = summarize(
      g.length,
      g.filter((r) => r.error_pct !== null).map((r) => r.error_pct!),
    );
  }
  return out;
}

export const CV_MIN_GROUP_ROWS = 10;

export interface CvResult {
  groups: Record<string, ErrorSummary>;
  rows: ValidationRow[];
  summary: ErrorSummary;
  groupsInSummary: string[];
}

/**
 * Leave-one-accelerator-out: for each accelerator of the checked file, refit on the training rows without that
 * accelerator and predict the file's rows of it. The summary covers groups with at least CV_MIN_GROUP_ROWS rows.
 */
export function crossValidate(
  checked: MeasurementRow[],
  training: MeasurementRow[],
  cat: Catalog,
  tco: Tco,
  psNode: ReturnType<typeof buildNodeModel>,
  start: ModelParams,
  metric = "throughput_samples_per_s",
): CvResult {
  const rowsOf = checked.filter((r) => r.metric === metric);
  const groups: Record<string, ErrorSummary> = {};
  const all: ValidationRow[] = [];
  const inSummary: string[] = [];
  for (const acc of [...new Set(rowsOf.map((r) => r.accelerator || "cpu-only"))].sort()) {
    const test = rowsOf.filter((r) => (r.accelerator || "cpu-only") === acc);
    const train = training.filter((r) => (r.accelerator || "cpu-only") !== acc);
    const fit = fitParams(train, cat, tco, psNode, start);
    const v = validateRows(test, cat, fit.params, tco, psNode);
    all.push(...v);
    groups[acc] = summarize(
      v.length,
      v.filter((r) => r.error_pct !== null).map((r) => r.error_pct!),
    );
    if (test.length >= CV_MIN_GROUP_ROWS) inSummary.push(acc);
  }
  const covered = all.filter((r) => inSummary.includes(r.accelerator) && r.error_pct !== null);
  return {
    groups,
    rows: all,
    summary: summarize(
      all.filter((r) => inSummary.includes(r.accelerator)).length,
      covered.map((r) => r.error_pct!),
    ),
    groupsInSummary: inSummary,
  };
}
