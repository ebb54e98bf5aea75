// Runs a plan's index ranges, on the main thread or on worker threads (piscina, see pool.ts), and merges their
// results in index order, so every output is the same whatever the number of workers or the split.
import { availableParallelism } from "node:os";
import { buildScoringContext } from "../engine/context.ts";
import { ELASTICITY_COLUMNS, elasticityRecords } from "../engine/elasticity.ts";
import { csvText } from "../output/csv.ts";
import { encodeRangePoints, loadPointsEncoder, type PointsEncoder } from "../engine/encode.ts";
import { scoreRange } from "../engine/range.ts";
import type { RangeTask } from "../engine/worker.ts";
import { Merger, type RangeResult, type SweepResult } from "../frontier/merge.ts";
import type { Frontier } from "../frontier/pareto.ts";
import { totalPoints } from "../space/space.ts";
import type { Plan } from "../spec/plan.ts";

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
  /**
   * the module at `pointsEncoder`, already loaded on this thread: ranges scored here use it instead of loading the
   * URL again (the bundled CLI holds its own copy of the encoder, and a second one would be loaded and compiled anew)
   */
  pointsEncoderModule?: PointsEncoder;
  /** with a points encoder: keep the rows too (onRange gets bytes and rows) */
  keepRows?: boolean;
  /** test hooks: the worker scoring this index exits, or never returns */
  crashAt?: number;
  hangAt?: number;
  /** a merger already holding earlier ranges (resume); scoring then covers only [start, end) */
  merger?: Merger;
  /** called after each range is delivered, in index order, with the index scoring has reached */
  onCheckpoint?: (merger: Merger, nextIndex: number) => void;
  /** skip blocks whose bounds cannot reach the frontier (engine/prune.ts); ignored when points are wanted */
  prune?: boolean;
}

export const defaultWorkers = () => Math.max(1, availableParallelism());

/**
 * Points per task: about 16 tasks per worker, within [4096, 262144]. With points wanted, at most 32768 (~6 MB of
 * CSV): results wait in memory until every earlier task's are written (up to 8 tasks per worker, runOnPool), and
 * with 262144-point tasks a 3-million-point sweep peaked at 726 MB RSS; with 32768, 425 MB, and 415 MB at 6 million.
 */
export function chunkSize(total: number, workers: number, wantPoints = false, prune = false): number {
  // pruned ranges keep no rows and sort their blocks by bound: a range of whole workloads prunes as well as a larger
  // one (each workload's frontier is its own), and 32 per worker keep both threads busy to the end (with 8, the
  // hardware bench's last ranges left one thread idle for a sixth of the run)
  if (prune) return Math.max(4096, Math.ceil(total / (workers * 32)));
  return Math.max(4096, Math.min(wantPoints ? 32768 : 262144, Math.ceil(total / (workers * 16))));
}

/** Points below this many are scored on the main thread: starting threads would cost more than it saves. */
export const INLINE_THRESHOLD = 20000;

export async function runSweep(plan: Plan, opts: SweepOptions): Promise<SweepResult> {
  const start = opts.start ?? 0;
  const end = opts.end ?? totalPoints(plan);
  const total = end - start;
  const merger = opts.merger ?? new Merger(plan);
  const workers = Math.max(1, opts.workers);
  const prune = !!opts.prune && !opts.wantPoints;
  const chunk = chunkSize(total, workers, opts.wantPoints, prune);
  const tasks: RangeTask[] = [];
  for (let s = start; s < end; s += chunk) {
    const task: RangeTask = { start: s, end: Math.min(end, s + chunk), wantPoints: opts.wantPoints };
    if (opts.pointsEncoder !== undefined) task.pointsEncoder = opts.pointsEncoder;
    if (opts.keepRows) task.keepRows = true;
    if (opts.crashAt !== undefined) task.crashAt = opts.crashAt;
    if (opts.hangAt !== undefined) task.hangAt = opts.hangAt;
    if (prune) task.prune = true;
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
    const encoder =
      opts.pointsEncoder === undefined
        ? null
        : (opts.pointsEncoderModule ?? (await loadPointsEncoder(opts.pointsEncoder)));
    // the bounds are loaded only by a run that prunes
    const scoreRangePruned = prune ? (await import("../engine/prune.ts")).scoreRangePruned : null;
    for (const t of tasks) {
      const r = scoreRangePruned
        ? scoreRangePruned(ctx, t.start, t.end, seen)
        : scoreRange(ctx, t.start, t.end, t.wantPoints, seen);
      await deliver(encoder ? encodeRangePoints(r, plan, encoder, opts.keepRows === true) : r);
    }
  } else {
    // piscina is loaded only when threads are started (a small sweep runs on this thread)
    const { runOnPool } = await import("./pool.ts");
    await runOnPool(plan, tasks, workers, deliver);
  }
  return merger.result(workers === 1 || total <= INLINE_THRESHOLD ? 1 : workers);
}

/** elasticity.csv: per frontier point and objective, the elasticity to each hardware figure (engine/elasticity.ts). */
export function elasticityCsv(plan: Plan, result: SweepResult): string {
  const ctx = buildScoringContext(plan);
  return csvText(
    elasticityRecords(
      ctx,
      result.frontier.map((p) => p.index),
    ),
    ELASTICITY_COLUMNS,
  );
}
