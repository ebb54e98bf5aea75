// Runs a plan over worker threads (piscina): tasks are index ranges, at most a few per thread in flight; results
// are merged in index order so every output is the same whatever the number of workers or the split.
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { NCOLS, INFEASIBLE_REASONS } from "../model/result.ts";
import { radices, totalPoints, type Plan } from "../spec/plan.ts";
import { buildScoringContext } from "./context.ts";
import { encodeRangePoints, loadPointsEncoder } from "./encode.ts";
import { Frontier, type FrontierPoint } from "./pareto.ts";
import { objectiveValue, scoreRange, type RangeResult } from "./score.ts";
import type { RangeTask } from "./worker.ts";

export interface SweepOptions {
  workers: number;
  /** score only [start, end) of the index space (shards); default everything */
  start?: number;
  end?: number;
  /** called with each range's result, in index order; may return a promise for backpressure */
  onRange?: (r: RangeResult) => void | Promise<void>;
  onProgress?: (done: number, total: number) => void;
  wantPoints: boolean;
  /** URL of a PointsEncoder module (engine/encode.ts): points come back as its bytes, made on the scoring threads */
  pointsEncoder?: string;
  /** test hooks: the worker scoring this index exits, or never returns */
  crashAt?: number;
  hangAt?: number;
  /** a merger already holding earlier ranges (resume); scoring then covers only [start, end) */
  merger?: Merger;
  /** called after each range is delivered, in index order, with the index scoring has reached */
  onCheckpoint?: (merger: Merger, nextIndex: number) => void;
}

export interface SweepResult {
  pointsScored: number;
  reasonCounts: Float64Array;
  /** frontier points of every workload, workload by workload in deterministic order */
  frontier: FrontierPoint[];
  /** per system: best feasible point by the first objective */
  best: Array<{ index: number; row: Float64Array } | null>;
  /** plotting sample of feasible points, in index order */
  sample: Array<{ index: number; row: Float64Array }>;
  /** per workload x (values of every axis): best first objective (-Infinity where no feasible point) */
  axisBest: Float64Array;
  workers: number;
}

/** Values of every axis, concatenated: one workload's row of the per-axis bests. */
export const axisBestWidth = (plan: Plan) => radices(plan).reduce((a, b) => a + b, 0);
export const axisBestSize = (plan: Plan) => plan.workloads.length * axisBestWidth(plan);

export const defaultWorkers = () => Math.max(1, availableParallelism());

/**
 * Points per task: about 16 tasks per worker, within [4096, 262144]. With points wanted, at most 32768 (~6 MB of
 * CSV): results wait in memory until every earlier task's are written (up to 8 tasks per worker, runOnPool), and
 * with 262144-point tasks a 3-million-point sweep peaked at 726 MB RSS; with 32768, 425 MB, and 415 MB at 6 million.
 */
export function chunkSize(total: number, workers: number, wantPoints = false): number {
  return Math.max(4096, Math.min(wantPoints ? 32768 : 262144, Math.ceil(total / (workers * 16))));
}

/** Merges range results (in any order) into frontier, counts and bests; identical for any split. */
export class Merger {
  readonly reasonCounts = new Float64Array(INFEASIBLE_REASONS.length);
  private readonly frontiers = new Map<number, Frontier>();
  readonly best: Array<{ index: number; row: Float64Array; value: number } | null>;
  pointsScored = 0;
  readonly sample: Array<{ index: number; row: Float64Array }> = [];
  /** per workload x (values of every axis): best first objective */
  readonly axisBest: Float64Array;
  /** points per workload: the index's outermost digit is index / perWorkload */
  private readonly perWorkload: number;
  /** one workload's row of axisBest */
  private readonly axisWidth: number;
  constructor(private readonly plan: Plan) {
    this.best = plan.systems.map(() => null);
    this.axisBest = new Float64Array(axisBestSize(plan)).fill(-Infinity);
    this.perWorkload = radices(plan).slice(1).reduce((a, b) => a * b, 1);
    this.axisWidth = axisBestWidth(plan);
  }
  private workloadOf(index: number): number {
    return Math.floor(index / this.perWorkload);
  }
  add(r: RangeResult): void {
    this.pointsScored += r.end - r.start;
    for (let i = 0; i < r.sampleIndex.length; i++) this.sample.push({ index: r.sampleIndex[i]!, row: r.sampleRows.slice(i * NCOLS, (i + 1) * NCOLS) });
    const all = this.axisBest;
    const offset = r.axisBestFrom * this.axisWidth;
    for (let k = 0; k < r.axisBest.length; k++) if (r.axisBest[k]! > all[offset + k]!) all[offset + k] = r.axisBest[k]!;
    for (let k = 0; k < r.reasonCounts.length; k++) this.reasonCounts[k]! += r.reasonCounts[k]!;
    const objectives = this.plan.objectives;
    for (let i = 0; i < r.frontierIndex.length; i++) {
      const row = r.frontierRows.slice(i * NCOLS, (i + 1) * NCOLS);
      const obj = new Float64Array(objectives.map((o) => objectiveValue(row, 0, o)));
      const w = this.workloadOf(r.frontierIndex[i]!);
      let f = this.frontiers.get(w);
      if (!f) { f = new Frontier(); this.frontiers.set(w, f); }
      f.offer({ index: r.frontierIndex[i]!, objectives: obj, row });
    }
    for (let s = 0; s < r.bestIndex.length; s++) {
      const index = r.bestIndex[s]!;
      if (index < 0) continue;
      const row = r.bestRows.slice(s * NCOLS, (s + 1) * NCOLS);
      const value = objectiveValue(row, 0, objectives[0]!);
      const cur = this.best[s];
      if (!cur || value > cur.value || (value === cur.value && index < cur.index)) this.best[s] = { index, row, value };
    }
  }
  result(workers: number): SweepResult {
    return {
      pointsScored: this.pointsScored, reasonCounts: this.reasonCounts, frontier: this.frontier(),
      best: this.best.map((b) => (b ? { index: b.index, row: b.row } : null)),
      sample: [...this.sample].sort((a, b) => a.index - b.index),
      axisBest: this.axisBest,
      workers,
    };
  }
  frontier(): FrontierPoint[] {
    return [...this.frontiers.keys()].sort((a, b) => a - b).flatMap((w) => this.frontiers.get(w)!.sorted());
  }
}

function workerFile(): string {
  // Compiled runs use worker.js; tests under tsx load worker.ts (tsx's loader is inherited through execArgv).
  const here = fileURLToPath(import.meta.url);
  return here.endsWith(".ts") ? here.replace(/run\.ts$/, "worker.ts") : here.replace(/run\.js$/, "worker.js");
}

/** Points below this many are scored on the main thread: starting threads would cost more than it saves. */
export const INLINE_THRESHOLD = 20000;

export async function runSweep(plan: Plan, opts: SweepOptions): Promise<SweepResult> {
  const start = opts.start ?? 0;
  const end = opts.end ?? totalPoints(plan);
  const total = end - start;
  const merger = opts.merger ?? new Merger(plan);
  const workers = Math.max(1, opts.workers);
  const chunk = chunkSize(total, workers, opts.wantPoints);
  const tasks: RangeTask[] = [];
  for (let s = start; s < end; s += chunk) {
    const task: RangeTask = { start: s, end: Math.min(end, s + chunk), wantPoints: opts.wantPoints };
    if (opts.pointsEncoder !== undefined) task.pointsEncoder = opts.pointsEncoder;
    if (opts.crashAt !== undefined) task.crashAt = opts.crashAt;
    if (opts.hangAt !== undefined) task.hangAt = opts.hangAt;
    tasks.push(task);
  }
  let done = 0;
  const deliver = async (r: RangeResult) => {
    merger.add(r);
    if (opts.onRange) await opts.onRange(r);
    done += r.end - r.start;
    opts.onProgress?.(done, total);
    opts.onCheckpoint?.(merger, r.end);
  };
  if (workers === 1 || total <= INLINE_THRESHOLD) {
    const ctx = buildScoringContext(plan);
    const seen = new Map<number, Frontier>();
    const encoder = opts.pointsEncoder === undefined ? null : await loadPointsEncoder(opts.pointsEncoder);
    for (const t of tasks) {
      const r = scoreRange(ctx, t.start, t.end, t.wantPoints, seen);
      await deliver(encoder ? encodeRangePoints(r, plan, encoder) : r);
    }
  } else {
    await runOnPool(plan, tasks, workers, deliver);
  }
  return merger.result(workers === 1 || total <= INLINE_THRESHOLD ? 1 : workers);
}

export class WorkerFailure extends Error {}

/** A task that runs longer than this is taken for a hung worker: aborted and retried once. */
export function taskTimeoutMs(): number {
  const v = Number(process.env.RECSWEEP_TASK_TIMEOUT_MS);
  return Number.isFinite(v) && v > 0 ? v : 10 * 60 * 1000;
}

async function runOnPool(plan: Plan, tasks: RangeTask[], workers: number, deliver: (r: RangeResult) => Promise<void>): Promise<void> {
  const pool = new Piscina({
    filename: workerFile(),
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 60000,
    workerData: { plan },
  });
  const maxInFlight = workers * 2; // backpressure: never more than a few tasks per thread
  const pending = new Map<number, RangeResult>();
  let nextToDeliver = 0, nextToSubmit = 0;
  const inFlight = new Set<Promise<void>>();
  let failure: Error | null = null;
  // A worker that cannot even start (or fails while idle) is reported here, not thrown as an uncaught event.
  pool.on("error", (e: Error) => { failure ??= new WorkerFailure(`a worker thread failed: ${e.message}; no output was written`); });
  const runTask = async (i: number): Promise<void> => {
    const task = tasks[i]!;
    let result: RangeResult | undefined;
    for (let attempt = 0; attempt < 2 && !result; attempt++) {
      try {
        // A retried task runs without the crash hook only if the hook was a one-off; here a crash repeats, as a real bug would.
        result = (await pool.run(task, { signal: AbortSignal.timeout(taskTimeoutMs()) })) as RangeResult;
      } catch (e) {
        const why = (e as Error).name === "AbortError" || /abort/i.test((e as Error).message) ? `no answer within ${taskTimeoutMs()} ms (hung)` : (e as Error).message;
        if (attempt === 1) throw new WorkerFailure(`a worker failed twice on points ${task.start}..${task.end - 1} (${why}); no output was written`);
      }
    }
    pending.set(i, result!);
  };
  try {
    while (nextToDeliver < tasks.length) {
      while (!failure && nextToSubmit < tasks.length && inFlight.size < maxInFlight && nextToSubmit - nextToDeliver < maxInFlight * 4) {
        const p: Promise<void> = runTask(nextToSubmit++).catch((e: Error) => { failure = e; }).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      if (failure) throw failure;
      if (pending.has(nextToDeliver)) {
        const r = pending.get(nextToDeliver)!;
        pending.delete(nextToDeliver);
        nextToDeliver++;
        await deliver(r);
        continue;
      }
      if (inFlight.size === 0) break;
      await Promise.race(inFlight);
    }
    if (failure) throw failure;
  } finally {
    await pool.destroy();
  }
}
