// Scores tasks (index ranges) on a pool of worker threads (piscina), a few in flight per thread, and hands their
// results on in task order; a worker that dies or hangs is retried once, then the run fails with nothing written.
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import type { RangeTask } from "../engine/worker.ts";
import type { RangeResult } from "../frontier/merge.ts";
import type { Plan } from "../spec/plan.ts";

function workerFile(): string {
  // Compiled runs use worker.js; tests under tsx load worker.ts (tsx's loader is inherited through execArgv).
  const here = fileURLToPath(import.meta.url);
  return here.replace(/run[/\\]pool\.(ts|js)$/, "engine/worker.$1");
}

export class WorkerFailure extends Error {}

/**
 * Each worker's young generation in pruned sweeps (V8's default on 64-bit is 3 x 16 MB semi-spaces): the workers
 * keep few short-lived objects, and on a quarter of the hardware bench (three isolates in one process) the default's
 * headroom was 40-80 MB of its peak RSS, with no measurable change in time (docs/hardware-axes.md, "Measured").
 */
export const WORKER_YOUNG_GENERATION_MB = 16;

/** A task that runs longer than this is taken for a hung worker: aborted and retried once. */
export function taskTimeoutMs(): number {
  const v = Number(process.env.RECSWEEP_TASK_TIMEOUT_MS);
  return Number.isFinite(v) && v > 0 ? v : 10 * 60 * 1000;
}

export async function runOnPool(
  plan: Plan,
  tasks: RangeTask[],
  workers: number,
  deliver: (r: RangeResult) => Promise<void>,
): Promise<void> {
  const pool = new Piscina({
    filename: workerFile(),
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 60000,
    workerData: { plan },
    // pruned sweeps only: where it was measured (the plain engine's speed target was not re-measured with it)
    ...(tasks[0]?.prune ? { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } } : {}),
  });
  const maxInFlight = workers * 2; // backpressure: never more than a few tasks per thread
  const pending = new Map<number, RangeResult>();
  let nextToDeliver = 0,
    nextToSubmit = 0;
  const inFlight = new Set<Promise<void>>();
  let failure: Error | null = null;
  // A worker that cannot even start (or fails while idle) is reported here, not thrown as an uncaught event.
  pool.on("error", (e: Error) => {
    failure ??= new WorkerFailure(`a worker thread failed: ${e.message}; no output was written`);
  });
  const runTask = async (i: number): Promise<void> => {
    const task = tasks[i]!;
    let result: RangeResult | undefined;
    for (let attempt = 0; attempt < 2 && !result; attempt++) {
      try {
        // A retried task keeps the crash hook: here a crash repeats, as a real bug would.
        result = (await pool.run(task, { signal: AbortSignal.timeout(taskTimeoutMs()) })) as RangeResult;
      } catch (e) {
        const why =
          (e as Error).name === "AbortError" || /abort/i.test((e as Error).message)
            ? `no answer within ${taskTimeoutMs()} ms (hung)`
            : (e as Error).message;
        if (attempt === 1)
          throw new WorkerFailure(
            `a worker failed twice on points ${task.start}..${task.end - 1} (${why}); no output was written`,
          );
      }
    }
    pending.set(i, result!);
  };
  try {
    while (nextToDeliver < tasks.length) {
      while (
        !failure &&
        nextToSubmit < tasks.length &&
        inFlight.size < maxInFlight &&
        nextToSubmit - nextToDeliver < maxInFlight * 4
      ) {
        const p: Promise<void> = runTask(nextToSubmit++)
          .catch((e: Error) => {
            failure = e;
          })
          .finally(() => inFlight.delete(p));
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
