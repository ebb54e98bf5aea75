// Independent refits (cross-validation folds, bootstrap resamples) spread over worker threads (piscina). Each refit
// is the deterministic fitParams of its rows, so the parameters are the same on any number of threads, in job order.
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type { ModelParams } from "../model/params.ts";
import type { CalibrationContext } from "./context.ts";
import { fitParams } from "./fit.ts";
import type { MeasurementRow } from "./measurements.ts";

export interface RefitJob {
  rows: MeasurementRow[];
  start: ModelParams;
  effort: { iterations: number; restarts: number };
}

/** One refit on this thread. */
export function refit(job: RefitJob, ctx: CalibrationContext): ModelParams {
  return fitParams(job.rows, ctx.cat, ctx.tco, ctx.psNode, job.start, job.effort).params;
}

function workerFile(): string {
  // compiled runs load refit-worker.js; tests under tsx load refit-worker.ts (tsx's loader is inherited)
  return fileURLToPath(import.meta.url).replace(/refits\.(ts|js)$/, "refit-worker.$1");
}

/**
 * The refits' parameters, in job order. With more than one job and core, on up to `threads` worker threads, each
 * building the calibration context from `ctx.catalogDir` (the same catalog); else one after another here. A refit
 * that fails rejects the whole call.
 */
export async function refitAll(
  jobs: readonly RefitJob[],
  ctx: CalibrationContext,
  threads = availableParallelism(),
  onRefit?: (done: number, total: number) => void,
): Promise<ModelParams[]> {
  const n = Math.min(threads, jobs.length);
  let done = 0;
  const counted = <T>(result: T): T => {
    onRefit?.(++done, jobs.length);
    return result;
  };
  if (n <= 1) return jobs.map((j) => counted(refit(j, ctx)));
  // piscina is loaded only when threads are started
  const { Piscina } = await import("piscina");
  const pool = new Piscina({
    filename: workerFile(),
    minThreads: n,
    maxThreads: n,
    workerData: { catalogDir: ctx.catalogDir },
  });
  try {
    return await Promise.all(jobs.map((j) => (pool.run(j) as Promise<ModelParams>).then(counted)));
  } finally {
    await pool.destroy();
  }
}
