// The bench's raw loop: points [start, end) of a plan through the model, in index order, on the calling thread.
import { buildScoringContext } from "../engine/context.ts";
import { scoreIndexInto } from "../engine/score.ts";
import { indexToCoords, nextCoords } from "../space/space.ts";
import { NCOLS } from "../model/result.ts";
import type { Plan } from "../spec/plan.ts";

export function rawLoopSeconds(plan: Plan, start: number, end: number): number {
  const ctx = buildScoringContext(plan);
  const out = new Float64Array(NCOLS);
  const d = indexToCoords(start, ctx.radix);
  const radix = ctx.radix;
  const t0 = performance.now();
  for (let i = start; i < end; i++) {
    scoreIndexInto(ctx, d, out, 0);
    nextCoords(d, radix);
  }
  return (performance.now() - t0) / 1000;
}
