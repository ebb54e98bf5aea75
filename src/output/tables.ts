// The CSV tables of a run folder: frontier, sample, sensitivity and infeasible counts (points.csv is written range
// by range through the points encoder).
import { closeSync, copyFileSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { honestFrontier, type NearTieResolution } from "../frontier/honest.ts";
import { REASON_EXAMPLES, type SweepResult } from "../frontier/merge.ts";
import { INFEASIBLE_REASONS, NCOLS, REASON_TEXT } from "../model/result.ts";
import { AXES, axisValueLabels } from "../space/space.ts";
import type { Plan } from "../spec/plan.ts";
import { csvField, csvText } from "./csv.ts";
import { formatNumber, pointHeader, PointLines } from "./format.ts";

/** Scored points (index and row each) as a CSV file with the columns of points.csv. */
function writePointsFile(file: string, plan: Plan, points: ReadonlyArray<{ index: number; row: Float64Array }>): void {
  const rows = new Float64Array(points.length * NCOLS);
  points.forEach((p, i) => rows.set(p.row, i * NCOLS));
  writeFileSync(
    file,
    csvText([], pointHeader(plan)) +
      new PointLines(plan).lines(
        points.map((p) => p.index),
        rows,
      ),
  );
}

/** A column a run appends to frontier.csv: its name and one value per point of the sweep's frontier. */
export interface ExtraColumn {
  name: string;
  values: ReadonlyArray<number | string>;
}

/** frontier.csv's columns after points.csv's: the honest frontier's groups and near-ties (frontier/honest.ts). */
export const FRONTIER_EXTRA_COLUMNS = [
  "equivalent_placements",
  "equivalent_precisions",
  "equivalent_indices",
  "near_tie",
];

/**
 * frontier.csv: one row per group of frontier points with identical results (the group's first point's figures),
 * with the group's placements, precisions and other indices, and the rows it nearly ties with (space-separated),
 * then the `extra` columns the run adds (e.g. frontier_probability: the value of the group's first point).
 */
export function writeFrontierCsv(
  file: string,
  plan: Plan,
  result: SweepResult,
  extra: readonly ExtraColumn[] = [],
  resolution?: NearTieResolution,
): void {
  const rows = honestFrontier(plan, result.frontier, resolution);
  const lines = new PointLines(plan);
  const position = new Map(result.frontier.map((p, i) => [p, i]));
  const field = (v: number | string | undefined) =>
    v === undefined ? "" : typeof v === "number" ? formatNumber(v) : csvField(v);
  const body = rows
    .map((r) => {
      const extras = [r.placements, r.precisions, r.equivalents.map((e) => e.index), r.nearTies];
      const at = position.get(r.point) ?? -1;
      const added = extra.map((c) => `,${field(c.values[at])}`).join("");
      const line = lines.lines([r.point.index], r.point.row).slice(0, -1);
      return `${line},${extras.map((v) => v.join(" ")).join(",")}${added}\n`;
    })
    .join("");
  const header = [...pointHeader(plan), ...FRONTIER_EXTRA_COLUMNS, ...extra.map((c) => c.name)];
  writeFileSync(file, csvText([], header) + body);
}

/**
 * The plotting sample of feasible points (same columns as points.csv). `pointsCsv`: the run's complete points.csv
 * (every feasible point of the range the result covers, formatted by the same PointLines): when the sample kept every
 * feasible point, its file is the same bytes, copied instead of formatted again.
 */
export function writeSampleCsv(file: string, plan: Plan, result: SweepResult, pointsCsv?: string): void {
  if (pointsCsv !== undefined && result.sample.length === result.reasonCounts[0]) copyFileSync(pointsCsv, file);
  else writePointsFile(file, plan, result.sample);
}

/**
 * Best first objective per workload along each swept axis: workload, axis, value, best. Written in pieces of about a
 * MB, each line made of the workload's field and the axis value's fields joined once: a sweep of thousands of node
 * designs has millions of rows, which as one string took GBs, and as arrays of fields per row ~150 MB of garbage.
 */
export function writeSensitivityCsv(file: string, plan: Plan, result: SweepResult): void {
  const values = axisValueLabels(plan);
  const width = values.reduce((a, v) => a + v.length, 0);
  // per swept axis value: ",axis,value," and its cell in a workload's row of axisBest
  const middles: string[] = [];
  const cells: number[] = [];
  let off = 0;
  AXES.forEach((axis, k) => {
    if (k > 0 && values[k]!.length > 1) {
      values[k]!.forEach((v, vi) => {
        middles.push(`,${csvField(axis)},${csvField(v)},`);
        cells.push(off + vi);
      });
    }
    off += values[k]!.length;
  });
  const fd = openSync(file, "w");
  try {
    writeSync(fd, csvText([], ["workload", "axis", "value", `best_${plan.objectives[0]}`]));
    let text = "";
    plan.workloads.forEach((w, wi) => {
      const label = csvField(w.label);
      const base = wi * width;
      for (let i = 0; i < cells.length; i++) {
        // formatNumber writes digits, sign, point and exponent only: never a field that needs quoting
        text += `${label}${middles[i]!}${formatNumber(result.axisBest[base + cells[i]!]!)}\n`;
        if (text.length >= 1 << 20) {
          writeSync(fd, text);
          text = "";
        }
      }
    });
    if (text) writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

export function writeInfeasibleCsv(file: string, result: SweepResult): void {
  const records: string[][] = [];
  INFEASIBLE_REASONS.forEach((r, i) => {
    if (i > 0 && result.reasonCounts[i]! > 0) records.push([r, String(result.reasonCounts[i]), REASON_TEXT[r] ?? ""]);
  });
  writeFileSync(file, csvText(records, ["reason", "points", "meaning"]));
}

/**
 * infeasible-by-system.csv: per system and reason, the infeasible points and the first few of their indices (for
 * `recsweep explain DIR INDEX`), space-separated.
 */
export function writeInfeasibleBySystemCsv(file: string, plan: Plan, result: SweepResult): void {
  const R = INFEASIBLE_REASONS.length;
  const records: string[][] = [];
  plan.systems.forEach((s, si) => {
    INFEASIBLE_REASONS.forEach((r, ri) => {
      const k = si * R + ri;
      const n = result.systemReasonCounts[k] ?? 0;
      if (ri === 0 || n === 0) return;
      const examples = [...result.reasonExamples.subarray(k * REASON_EXAMPLES, (k + 1) * REASON_EXAMPLES)];
      records.push([s.id, r, String(n), examples.filter((i) => i >= 0).join(" "), REASON_TEXT[r] ?? ""]);
    });
  });
  writeFileSync(file, csvText(records, ["system", "reason", "points", "example_indices", "meaning"]));
}

/**
 * Every table of a run folder, into `dir`; `frontierExtra`: columns appended to frontier.csv; `pointsCsv`: the run's
 * complete points.csv, when it wrote one (see writeSampleCsv).
 */
export function writeResultTables(
  dir: string,
  plan: Plan,
  result: SweepResult,
  frontierExtra: { columns: ExtraColumn[]; resolution?: NearTieResolution | undefined } = { columns: [] },
  pointsCsv?: string,
): void {
  writeFrontierCsv(join(dir, "frontier.csv"), plan, result, frontierExtra.columns, frontierExtra.resolution);
  writeInfeasibleCsv(join(dir, "infeasible.csv"), result);
  writeInfeasibleBySystemCsv(join(dir, "infeasible-by-system.csv"), plan, result);
  writeSampleCsv(join(dir, "sample.csv"), plan, result, pointsCsv);
  writeSensitivityCsv(join(dir, "sensitivity.csv"), plan, result);
}
