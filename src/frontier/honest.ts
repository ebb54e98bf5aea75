// The honest frontier (issue 18, item 3): frontier points with identical results are one row that lists the
// placements and precisions giving them, and rows whose objectives lie within the model's resolution of each other
// are marked as near-ties (kept, not dropped). Pure: frontier.csv (output/tables.ts) and the report read it.
import { C } from "../model/result.ts";
import type { Objective } from "../schema/vocab.ts";
import { describePoint, pointsPerWorkload, radices } from "../space/space.ts";
import type { Plan } from "../spec/plan.ts";
import { objectiveValue } from "./objectives.ts";
import type { FrontierPoint } from "./pareto.ts";

/**
 * Relative tolerance within which two frontier rows are a near-tie: 1 % on every objective. An assumption, not a
 * measured resolution: the calibration's median error is about 10 %, so any difference below 1 % is well inside
 * what the model can tell apart. nearTieTolerance is the one place that reads it.
 */
export const NEAR_TIE_RELATIVE = 0.01;

/**
 * Absolute tolerance of one objective value of a scored row (`row`, a kernel row of NCOLS values; `value`, the
 * objective read from it): two rows are a near-tie when every objective differs by at most the larger of their two
 * tolerances. The single function to replace by the model's own resolution (an interval per row) once it exists.
 */
export function nearTieTolerance(value: number, _row: Float64Array, _objective: Objective): number {
  return NEAR_TIE_RELATIVE * Math.abs(value);
}

/** Results that make two points identical: the workload and these figures, as the CSVs write them. */
const IDENTITY_COLUMNS = [C.throughput_samples_per_s, C.power_w, C.cost_usd_per_hour];

/** Six significant digits, as output/format.ts writes figures: identical results are identical as written. */
const written = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(6)) : v);

/** One row of the honest frontier. */
export interface HonestRow {
  /** the group's first point in frontier order (best first objective, then lowest index): the row's figures */
  point: FrontierPoint;
  /** the group's other points, same workload and identical throughput, power and cost, by index */
  equivalents: FrontierPoint[];
  /** the placements (vocabulary names) and precisions of the whole group, in order of first appearance */
  placements: string[];
  precisions: string[];
  /** indices of the other rows of the same workload within nearTieTolerance on every objective */
  nearTies: number[];
}

/**
 * Groups a frontier (in its deterministic order: workload by workload, first objective descending, then index)
 * into rows of identical results, then marks near-ties between rows. The same frontier gives the same rows, so
 * shards, resumed runs and merges write the same frontier.csv.
 */
export function honestFrontier(plan: Plan, frontier: readonly FrontierPoint[]): HonestRow[] {
  const perWorkload = pointsPerWorkload(radices(plan));
  const rows: HonestRow[] = [];
  const byKey = new Map<string, HonestRow>();
  for (const point of frontier) {
    const workload = Math.floor(point.index / perWorkload);
    const key = [workload, ...IDENTITY_COLUMNS.map((c) => written(point.row[c]!))].join(",");
    const d = describePoint(plan, point.index);
    const row = byKey.get(key);
    if (!row) {
      const fresh: HonestRow = {
        point,
        equivalents: [],
        placements: [d.embedding_placement],
        precisions: [d.precision],
        nearTies: [],
      };
      byKey.set(key, fresh);
      rows.push(fresh);
      continue;
    }
    row.equivalents.push(point);
    if (!row.placements.includes(d.embedding_placement)) row.placements.push(d.embedding_placement);
    if (!row.precisions.includes(d.precision)) row.precisions.push(d.precision);
  }
  markNearTies(plan, rows, perWorkload);
  return rows;
}

function markNearTies(plan: Plan, rows: HonestRow[], perWorkload: number): void {
  const objectives = plan.objectives;
  const values = rows.map((r) => objectives.map((o) => objectiveValue(r.point.row, 0, o)));
  const tolerances = rows.map((r, i) => objectives.map((o, k) => nearTieTolerance(values[i]![k]!, r.point.row, o)));
  const workloadOf = (r: HonestRow) => Math.floor(r.point.index / perWorkload);
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length && workloadOf(rows[j]!) === workloadOf(rows[i]!); j++) {
      const tie = objectives.every(
        (_, k) => Math.abs(values[i]![k]! - values[j]![k]!) <= Math.max(tolerances[i]![k]!, tolerances[j]![k]!),
      );
      if (tie) {
        rows[i]!.nearTies.push(rows[j]!.point.index);
        rows[j]!.nearTies.push(rows[i]!.point.index);
      }
    }
  }
}
