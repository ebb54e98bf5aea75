// piscina worker: builds the scoring context once from the plan in workerData, then scores index ranges.
import { move, Piscina, workerData } from "piscina";
import { buildScoringContext, type ScoringContext } from "./context.ts";
import { scoreRange, warmUp, type RangeResult } from "./score.ts";
import type { Frontier } from "./pareto.ts";
import type { Plan } from "../spec/plan.ts";

// Results go back as transferred buffers, and a thread's first transfer detaches an ArrayBuffer, which makes V8 throw
// away every optimised function that assumed no buffer would ever be detached (its "detaching protector"): measured,
// each worker recompiled the model after its first task. Detaching one empty buffer now, before anything is
// compiled, means the code is compiled once, for the conditions it will run in.
const spare = new ArrayBuffer(8);
structuredClone(spare, { transfer: [spare] });

let ctx: ScoringContext | undefined;
/** frontier points this thread has found so far, used only to reject dominated points early */
const seen = new Map<number, Frontier>();

export interface RangeTask { start: number; end: number; wantPoints: boolean; crashAt?: number; hangAt?: number }

/** The result's typed arrays move to the main thread (transferred, not copied). */
function transferable(r: RangeResult) {
  const buffers = [r.reasonCounts, r.frontierIndex, r.frontierRows, r.pointIndex, r.pointRows, r.bestIndex, r.bestRows, r.sampleIndex, r.sampleRows, r.axisBest]
    .filter((a): a is Float64Array => a !== null)
    .map((a) => a.buffer);
  // piscina's Transferable type names its symbols by internal keys, hence the cast
  return move({ [Piscina.transferableSymbol]: [...new Set(buffers)], [Piscina.valueSymbol]: r } as unknown as Parameters<typeof move>[0]);
}

export default function scoreTask(task: RangeTask) {
  const hit = (i: number | undefined) => i !== undefined && i >= task.start && i < task.end;
  if (hit(task.crashAt)) process.exit(70); // test hook: a worker that dies
  if (hit(task.hangAt)) for (;;) { /* test hook: a worker that never answers */ }
  if (!ctx) {
    ctx = buildScoringContext((workerData as { plan: Plan }).plan);
    warmUp(ctx, task.wantPoints);
  }
  return transferable(scoreRange(ctx, task.start, task.end, task.wantPoints, seen));
}
