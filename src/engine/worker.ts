// piscina worker: builds the scoring context once from the plan in workerData, then scores index ranges (and, when
// points are written, turns each range's points into bytes with the output layer's encoder).
import { move, Piscina, workerData } from "piscina";
import { buildScoringContext, type ScoringContext } from "./context.ts";
import type { RangeResult } from "../frontier/merge.ts";
import { scoreRangePruned } from "./prune.ts";
import { scoreRange } from "./range.ts";
import { warmUp } from "./warm-up.ts";
import { encodeRangePoints, loadPointsEncoder } from "./encode.ts";
import type { Frontier } from "../frontier/pareto.ts";
import type { Plan } from "../spec/plan.ts";

let ctx: ScoringContext | undefined;
/** frontier points this thread has found so far, used only to reject dominated points early */
const seen = new Map<number, Frontier>();

export interface RangeTask {
  start: number;
  end: number;
  wantPoints: boolean;
  /** URL of a PointsEncoder module: the range's points come back as its bytes */
  pointsEncoder?: string;
  /** with an encoder: send the rows too (the main thread writes them to a second file) */
  keepRows?: boolean;
  crashAt?: number;
  hangAt?: number;
  /** score with pruning (engine/prune.ts): only for ranges whose points are not wanted */
  prune?: boolean;
}

/**
 * How a result goes back. Without points it is small (counts, a few frontier rows, bests, sample, per-axis bests:
 * tens of kB) and is copied. With points its rows are large (NCOLS doubles per feasible point) and move instead
 * (transferred, not copied). Transferring detaches ArrayBuffers, and V8 compiles typed-array code on the assumption
 * that no buffer in the thread was ever detached: measured, the first transfer made each worker recompile everything
 * after its first task, and code compiled without the assumption scored 5-10 % slower. So a thread that will
 * transfer detaches one spare buffer before anything is compiled, and a thread that only copies never detaches.
 */
function resultMessage(r: RangeResult, wantPoints: boolean): unknown {
  return wantPoints ? transferable(r) : r;
}

function transferable(r: RangeResult) {
  const buffers = [
    r.reasonCounts,
    r.systemReasonCounts,
    r.reasonExamples,
    r.frontierIndex,
    r.frontierRows,
    r.pointIndex,
    r.pointRows,
    r.pointBytes,
    r.bestIndex,
    r.bestRows,
    r.bestAt ?? null,
    r.systemReasonAt ?? null,
    r.sampleIndex,
    r.sampleRows,
    r.axisBest,
  ]
    .filter((a): a is Float64Array | Uint8Array | Int32Array => a !== null)
    .map((a) => a.buffer);
  // piscina's Transferable type names its symbols by internal keys, hence the cast
  return move({
    [Piscina.transferableSymbol]: [...new Set(buffers)],
    [Piscina.valueSymbol]: r,
  } as unknown as Parameters<typeof move>[0]);
}

export default async function scoreTask(task: RangeTask) {
  const hit = (i: number | undefined) => i !== undefined && i >= task.start && i < task.end;
  if (hit(task.crashAt)) process.exit(70); // test hook: a worker that dies
  if (hit(task.hangAt))
    for (;;) {
      /* test hook: a worker that never answers */
    }
  if (!ctx) {
    if (task.wantPoints) {
      const spare = new ArrayBuffer(8);
      structuredClone(spare, { transfer: [spare] });
    }
    ctx = buildScoringContext((workerData as { plan: Plan }).plan);
    warmUp(ctx, task.wantPoints);
  }
  const r = task.prune
    ? scoreRangePruned(ctx, task.start, task.end, seen)
    : scoreRange(ctx, task.start, task.end, task.wantPoints, seen);
  if (task.pointsEncoder)
    encodeRangePoints(r, ctx.plan, await loadPointsEncoder(task.pointsEncoder), task.keepRows === true);
  return resultMessage(r, task.wantPoints);
}
