// Compares predictions with measurements, row by row and per metric; cross-validates by accelerator.
import type { Catalog } from "../catalog/load.ts";
import type { buildNodeModel } from "../model/node.ts";
import type { ModelParams } from "../model/params.ts";
import type { Tco } from "../schema/catalog.ts";
import type { CalibrationContext } from "./context.ts";
import type { MeasurementRow } from "./measurements.ts";
import { predictRow, prepareRows } from "./predict.ts";
import { refitAll } from "./refits.ts";
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

/** Per metric: n counts every row of the metric; the statistics cover resolved rows. Unsupported metrics: left out. */
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

/** What a cross-validation leaves out at a time (docs/calibration.md, "Cross-validation"). */
export const CV_SCHEMES = ["accelerator", "system", "source"] as const;
export type CvScheme = (typeof CV_SCHEMES)[number];

/** A source: one submitter's results in one MLPerf round, else one repository's document or one page. */
export function sourceOf(r: MeasurementRow): string {
  const mlperf = /MLPerf Training (v\d+\.\d+) (\S+)/.exec(r.notes);
  if (mlperf) return `MLPerf ${mlperf[1]} ${mlperf[2]}`;
  const doc = r.source.split(/ at commit|[,;]| \(/)[0]!.trim();
  return doc.replace(/^(\S+?:[^:]*?)(?:#.*)?$/, "$1");
}

/** The group a row falls in under a scheme; a system is accelerator x count x host x nodes x fabric. */
export function cvGroupOf(r: MeasurementRow, scheme: CvScheme): string {
  const acc = r.accelerator || "cpu-only";
  if (scheme === "accelerator") return acc;
  if (scheme === "source") return sourceOf(r);
  return [acc, `x${r.accelerators_per_node || 0}`, r.host_cpu || "host?", `n${r.nodes || 1}`, r.intra_node_fabric].join(
    " ",
  );
}

/**
 * Leave-one-group-out: for each group of the checked file (by accelerator, system or source), refit from the prior
 * on the training rows without that group and predict the file's rows of it (the refits on worker threads,
 * refits.ts). The summary covers every predicted row for systems and sources, and groups with at least
 * CV_MIN_GROUP_ROWS rows for accelerators.
 */
export async function crossValidate(
  checked: MeasurementRow[],
  training: MeasurementRow[],
  ctx: CalibrationContext,
  start: ModelParams,
  metric = "throughput_samples_per_s",
  scheme: CvScheme = "accelerator",
  onRefit?: (done: number, total: number) => void,
): Promise<CvResult> {
  const rowsOf = checked.filter((r) => r.metric === metric);
  const names = [...new Set(rowsOf.map((r) => cvGroupOf(r, scheme)))].sort();
  const tests = names.map((g) => rowsOf.filter((r) => cvGroupOf(r, scheme) === g));
  // each group's refit: the training rows of every other group (and none of the checked rows of this one)
  const jobs = names.map((g, k) => {
    const testIds = new Set(tests[k]!.map((r) => r.id));
    const rows = training.filter((r) => cvGroupOf(r, scheme) !== g && !testIds.has(r.id));
    return { rows, start, effort: CV_FIT_EFFORT };
  });
  const fits = await refitAll(jobs, ctx, undefined, onRefit);
  const groups: Record<string, ErrorSummary> = {};
  const all: ValidationRow[] = [];
  const inSummary: string[] = [];
  const groupOfRow = new Map<string, string>();
  names.forEach((g, k) => {
    const v = validateRows(tests[k]!, ctx.cat, fits[k]!, ctx.tco, ctx.psNode);
    for (const r of v) groupOfRow.set(r.id, g);
    all.push(...v);
    groups[g] = summarize(
      v.length,
      v.filter((r) => r.error_pct !== null).map((r) => r.error_pct!),
    );
    if (scheme !== "accelerator" || tests[k]!.length >= CV_MIN_GROUP_ROWS) inSummary.push(g);
  });
  const kept = all.filter((r) => inSummary.includes(groupOfRow.get(r.id)!));
  return {
    groups,
    rows: all,
    summary: summarize(
      kept.length,
      kept.filter((r) => r.error_pct !== null).map((r) => r.error_pct!),
    ),
    groupsInSummary: inSummary,
  };
}

/** Cross-validation refits run fewer restarts than `calibrate` (docs/calibration.md). */
export const CV_FIT_EFFORT = { iterations: 2000, restarts: 2 };
