// Scores one design point of a plan by its coordinates: the one call from the engine into the model's kernel.
import { evaluatePoint } from "../model/evaluate.ts";
import { C, NCOLS } from "../model/result.ts";
import { AXIS } from "../space/space.ts";
import type { ScoringContext } from "./context.ts";

/** Scores one point into out[o..]; returns its infeasibility code. */
export function scoreIndexInto(ctx: ScoringContext, d: Int32Array, out: Float64Array, o: number): number {
  const w = d[AXIS.workload]!,
    s = d[AXIS.system]!,
    n = d[AXIS.nodes]!;
  const pl = d[AXIS.embedding_placement]!,
    b = d[AXIS.batch_size]!,
    pr = d[AXIS.precision]!;
  const refused = ctx.refused[s]!;
  if (refused !== 0) {
    out.fill(0, o, o + NCOLS);
    out[o + C.infeasible] = refused;
    return refused;
  }
  return evaluatePoint(
    out,
    o,
    ctx.nodes[s]!,
    ctx.workload(w),
    ctx.tiers(w, s, n),
    ctx.nodeCounts[n]!,
    ctx.placementOf[pl]!,
    ctx.batchOf[b]!,
    ctx.precisionOf[pr]!,
    ctx.psNodesOf[pl]!,
    ctx.hbmShareOf[pl]!,
    ctx.envOf(w),
    ctx.params,
  );
}
