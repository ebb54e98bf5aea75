// The hot loop: scores a contiguous range of design-point indices. Results are flat typed arrays, independent of how
// the index space is split, so any split merges to the same frontier and the same rows.
import type { RangeResult } from "../frontier/merge.ts";
import type { Frontier } from "../frontier/pareto.ts";
import { NCOLS } from "../model/result.ts";
import { indexToCoords, nextCoords } from "../space/space.ts";
import { RangeAccumulator } from "./accumulator.ts";
import type { ScoringContext } from "./context.ts";
import { scoreIndexInto } from "./score.ts";

/**
 * Scores points [start, end) in index order. `seen` (optional): per workload, the frontier of everything this thread
 * scored before, updated in place. Its points reject dominated points early (a point dominated by anything already
 * seen cannot be on the global frontier) and are not returned again, so merging stays exact for any split.
 */
export function scoreRange(
  ctx: ScoringContext,
  start: number,
  end: number,
  wantPoints: boolean,
  seen?: Map<number, Frontier>,
): RangeResult {
  const acc = new RangeAccumulator(ctx, start, end, wantPoints, seen);
  scoreInto(acc, ctx, start, end);
  return acc.finish();
}

/**
 * The hot loop, on its own: nothing follows it. A range's one long loop runs as on-stack-replaced code; code after the
 * loop that the interpreter has no fresh type feedback for (after V8 flushes the bytecode of a function that only ever
 * runs optimised, its feedback goes too) deoptimised it at the end of every other range, and each recompile cost
 * tens of milliseconds at a quarter of the speed: measured, a 10^8-point sweep lost about a tenth of its time so.
 */
export function scoreInto(acc: RangeAccumulator, ctx: ScoringContext, start: number, end: number): void {
  const counts = acc.reasonCounts;
  const radix = ctx.radix;
  const row = new Float64Array(NCOLS);
  const d = indexToCoords(start, radix);
  for (let index = start; index < end; index++) {
    const code = scoreIndexInto(ctx, d, row, 0);
    counts[code]! += 1;
    if (code === 0) acc.add(index, d, row);
    else acc.reject(index, d[1]!, code); // d[1]: the system (AXIS.system)
    nextCoords(d, radix);
  }
}
