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
export function honestFrontier(
  plan: Plan,
  frontier: readonly FrontierPoint[],
  resolution?: NearTieResolution,
): HonestRow[] {
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
  markNearTies(plan, rows, perWorkload, resolution);
  return rows;
}

/**
 * The relative difference on objective k below which the model cannot tell frontier points a and b apart. The run
 * passes the fit's resolution (run/robustness.ts: the spread of the two points' ratio under parameter draws, at
 * least 1 %); without draws, NEAR_TIE_RELATIVE.
 */
export type NearTieResolution = (a: FrontierPoint, b: FrontierPoint, k: number) => number;

/**
 * Row i is a near-tie of row j (same workload) when j is at least as good as i on every objective up to the
 * resolution: whatever i leads j by, it leads by less than the model can resolve (a point 0.04 % faster with 50 %
 * more power is a near-tie of the slower one; not the other way round). Two rows within the resolution of each
 * other on every objective list each other.
 */
function markNearTies(plan: Plan, rows: HonestRow[], perWorkload: number, resolution?: NearTieResolution): void {
  const objectives = plan.objectives;
  const values = rows.map((r) => objectives.map((o) => objectiveValue(r.point.row, 0, o)));
  const workloadOf = (r: HonestRow) => Math.floor(r.point.index / perWorkload);
  const tolerance = (i: number, j: number, k: number) =>
    resolution
      ? resolution(rows[i]!.point, rows[j]!.point, k) * Math.abs(values[i]![k]!)
      : Math.max(
          nearTieTolerance(values[i]![k]!, rows[i]!.point.row, objectives[k]!),
          nearTieTolerance(values[j]![k]!, rows[j]!.point.row, objectives[k]!),
        );
  for (let i = 0; i < rows.length; i++)
    for (let j = 0; j < rows.length; j++) {
      if (i === j || workloadOf(rows[j]!) !== workloadOf(rows[i]!)) continue;
      if (objectives.every((_, k) => values[j]![k]! >= values[i]![k]! - tolerance(i, j, k)))
        rows[i]!.nearTies.push(rows[j]!.point.index);
    }
}
