// How robust each frontier point is to the fit's uncertainty (issue 16; docs/calibration.md "A frontier that
// survives the model's error"): the frontier's points are scored again under each bootstrap parameter set of
// hardware/fit/intervals.json, and a point's probability is the share of draws in which it is feasible and no other
// frontier point of its workload dominates it. Off-frontier points are not re-scored (they would cost a sweep per
// draw), so the figure is an upper bound of the probability of staying on the whole space's frontier.
import { buildScoringContext, withParams } from "../engine/context.ts";
import { scoreIndexInto } from "../engine/score.ts";
import { objectiveColumns } from "../frontier/objectives.ts";
import { dominates, type FrontierPoint } from "../frontier/pareto.ts";
import { NCOLS } from "../model/result.ts";
import { AXIS, indexToCoords, radices } from "../space/space.ts";
import type { Plan } from "../spec/plan.ts";
import type { SweepResult } from "../frontier/merge.ts";
import type { NearTieResolution } from "../frontier/honest.ts";
import type { ExtraColumn } from "../output/tables.ts";

/** The frontier re-scored under the fit's parameter draws (docs/calibration.md "A frontier that survives ..."). */
export interface FrontierDraws {
  /** per frontier point (same order): the share of draws it stays on the frontier in */
  probability: number[];
  /**
   * The model's resolution between frontier points a and b (positions in the frontier) on objective k: half the
   * 10-90 % band of ln(|value_a| / |value_b|) over the draws, at least RESOLUTION_FLOOR.
   */
  resolution(a: number, b: number, k: number): number;
}

/**
 * The smallest relative difference recsweep calls resolved: 1 %, the repeatability of a measured training
 * throughput (MLPerf Training v0.7 NVIDIA DGX-2H DLRM, five runs 4.063-4.159 min, measurements.csv row M005).
 */
export const RESOLUTION_FLOOR = 0.01;

/** The frontier under each parameter draw of plan.intervals; null without draws. */
export function frontierDraws(plan: Plan, frontier: readonly FrontierPoint[]): FrontierDraws | null {
  const draws = plan.intervals?.draws ?? [];
  if (!draws.length || !frontier.length) return null;
  const radix = radices(plan);
  const coords = frontier.map((p) => indexToCoords(p.index, radix));
  const workload = coords.map((d) => d[AXIS.workload]!);
  const { col, sign } = objectiveColumns(plan.objectives);
  const K = col.length;
  const stays = new Float64Array(frontier.length);
  const row = new Float64Array(NCOLS);
  const base = buildScoringContext(plan);
  // per point: the frontier points of its workload (comparing every pair took seconds on a frontier of thousands)
  const byWorkload = new Map<number, number[]>();
  workload.forEach((w, i) => {
    const list = byWorkload.get(w);
    if (list) list.push(i);
    else byWorkload.set(w, [i]);
  });
  const sameWorkload = workload.map((w) => byWorkload.get(w)!);
  const scored = draws.map((params) => {
    const ctx = withParams(base, params);
    const objectives = coords.map((d) => {
      if (scoreIndexInto(ctx, d, row, 0) !== 0) return null;
      return Float64Array.from({ length: K }, (_, k) => sign[k]! * row[col[k]!]!);
    });
    objectives.forEach((a, i) => {
      if (!a) return;
      const beaten = sameWorkload[i]!.some((j) => j !== i && objectives[j] !== null && dominates(objectives[j]!, a));
      if (!beaten) stays[i]!++;
    });
    return objectives;
  });
  const resolution = (a: number, b: number, k: number): number => {
    const logs: number[] = [];
    for (const objectives of scored) {
      const va = objectives[a]?.[k],
        vb = objectives[b]?.[k];
      if (va !== undefined && vb !== undefined && va !== 0 && vb !== 0) logs.push(Math.log(Math.abs(va / vb)));
    }
    if (logs.length < 2) return RESOLUTION_FLOOR;
    logs.sort((x, y) => x - y);
    const lo = logs[Math.floor(0.1 * (logs.length - 1))]!,
      hi = logs[Math.ceil(0.9 * (logs.length - 1))]!;
    return Math.max(RESOLUTION_FLOOR, (hi - lo) / 2);
  };
  return { probability: Array.from(stays, (n) => n / draws.length), resolution };
}

/** What a run adds to frontier.csv: `frontier_probability` and the near-tie resolution (none without draws). */
export function frontierExtras(
  plan: Plan,
  result: SweepResult,
): { columns: ExtraColumn[]; resolution: NearTieResolution | undefined } {
  const d = frontierDraws(plan, result.frontier);
  const position = new Map(result.frontier.map((p, i) => [p, i]));
  return {
    columns: [{ name: "frontier_probability", values: d?.probability ?? result.frontier.map(() => "") }],
    resolution: d ? (a, b, k) => d.resolution(position.get(a)!, position.get(b)!, k) : undefined,
  };
}
