// Points as output bytes, made on the thread that scored them. The engine never formats: the output layer names a
// module (SweepOptions.pointsEncoder) that worker threads load themselves, so formatting a sweep's points.csv runs
// on every worker instead of on the main thread alone (measured on 2 cores, a 1M-point sweep writing 676k rows:
// formatted on the main thread 2.9 s, ~230k rows/s, the whole run's limit; formatted by the two workers 2.3 s).
import { fileURLToPath } from "node:url";
import type { RangeResult } from "../frontier/merge.ts";
import type { Plan } from "../spec/plan.ts";

export interface PointsEncoder {
  /** bytes for the points `index[i]`, rows rows[i * NCOLS ..], in index order */
  encodePoints(plan: Plan, index: Float64Array, rows: Float64Array): Uint8Array;
}

const loaded = new Map<string, Promise<PointsEncoder>>();

/**
 * The encoder module at `url`, loaded once per thread. Where this code runs as CommonJS (worker threads under tsx in
 * the tests, which load TypeScript through require only), it is required, as piscina loads its worker files.
 */
export function loadPointsEncoder(url: string): Promise<PointsEncoder> {
  let m = loaded.get(url);
  if (!m) {
    m =
      typeof require === "function"
        ? Promise.resolve(require(fileURLToPath(url)) as PointsEncoder)
        : (import(url) as Promise<PointsEncoder>);
    loaded.set(url, m);
  }
  return m;
}

/**
 * `r` with its points encoded: bytes in, rows out (the rows would otherwise be sent to the main thread too), unless
 * `keepRows` (the main thread also needs them, e.g. for a columnar file).
 */
export function encodeRangePoints(r: RangeResult, plan: Plan, encoder: PointsEncoder, keepRows = false): RangeResult {
  if (r.pointIndex && r.pointRows) {
    r.pointBytes = encoder.encodePoints(plan, r.pointIndex, r.pointRows);
    if (!keepRows) r.pointRows = null;
  }
  return r;
}
