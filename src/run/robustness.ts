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
import type { ExtraColumn } from "../output/tables.ts";

/** Per frontier point (same order), the share of parameter draws it stays on the frontier in; null: no draws. */
export function frontierProbability(plan: Plan, frontier: readonly FrontierPoint[]): number[] | null {
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
  for (const params of draws) {
    const ctx = withParams(base, params);
    const objectives = coords.map((d) => {
      if (scoreIndexInto(ctx, d, row, 0) !== 0) return null;
      return Float64Array.from({ length: K }, (_, k) => sign[k]! * row[col[k]!]!);
    });
    objectives.forEach((a, i) => {
      if (!a) return;
      const beaten = objectives.some((b, j) => j !== i && b !== null && workload[j] === workload[i] && dominates(b, a));
      if (!beaten) stays[i]!++;
    });
  }
  return Array.from(stays, (n) => n / draws.length);
}

/** The columns a run appends to frontier.csv: `frontier_probability` (empty fields without parameter draws). */
export function frontierColumns(plan: Plan, result: SweepResult): ExtraColumn[] {
  const p = frontierProbability(plan, result.frontier);
  return [{ name: "frontier_probability", values: p ?? result.frontier.map(() => "") }];
}
