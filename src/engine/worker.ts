// piscina worker: builds the scoring context once from the plan in workerData, then scores index ranges.
import { workerData } from "piscina";
import { buildScoringContext, type ScoringContext } from "./context.ts";
import { scoreRange, type RangeResult } from "./score.ts";
import type { Frontier } from "./pareto.ts";
import type { Plan } from "../spec/plan.ts";

let ctx: ScoringContext | undefined;
/** frontier points this thread has found so far, used only to reject dominated points early */
const seen = new Map<number, Frontier>();

export interface RangeTask { start: number; end: number; wantPoints: boolean; crashAt?: number; hangAt?: number }

export default function scoreTask(task: RangeTask): RangeResult {
  const hit = (i: number | undefined) => i !== undefined && i >= task.start && i < task.end;
  if (hit(task.crashAt)) process.exit(70); // test hook: a worker that dies
  if (hit(task.hangAt)) for (;;) { /* test hook: a worker that never answers */ }
  ctx ??= buildScoringContext((workerData as { plan: Plan }).plan);
  return scoreRange(ctx, task.start, task.end, task.wantPoints, seen);
}
