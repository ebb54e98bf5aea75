// Memory-tier terms. Equations: docs/cost-model.md section E.
import type { WorkloadModel } from "./workload.ts";

/** eq. E1: share of peak bandwidth a gather of rows of `rowBytes` reaches: e_max * r / (r + r_half). */
export function gatherEfficiency(rowBytes: number, effMax: number, halfRowBytes: number): number {
  return (effMax * rowBytes) / (rowBytes + halfRowBytes);
}

/**
 * eq. E4: share of accesses that hit a cache holding the hottest `cacheFraction` of `rows` rows whose accesses
 * follow a Zipf law of exponent `alpha` (continuous approximation of the generalised harmonic numbers):
 * H = ((cN)^(1-a) - 1) / (N^(1-a) - 1), ln(cN)/ln(N) at a = 1, and c at a = 0.
 */
export function zipfHitRate(cacheFraction: number, rows: number, alpha: number): number {
  if (cacheFraction >= 1) return 1;
  if (cacheFraction <= 0 || rows <= 1) return cacheFraction <= 0 ? 0 : 1;
  const cached = Math.max(1, cacheFraction * rows);
  if (alpha === 0) return cacheFraction;
  if (Math.abs(alpha - 1) < 1e-9) return Math.log(cached) / Math.log(rows);
  const e = 1 - alpha;
  return (cached ** e - 1) / (rows ** e - 1);
}

/** eq. E4 over all table groups: every table caches the same share of its rows; hits weighted by traffic. */
export function cacheHitRate(w: WorkloadModel, cacheBytes: number): number {
  if (cacheBytes <= 0) return 0;
  const c = Math.min(1, cacheBytes / w.embBytes);
  let hit = 0;
  for (const g of w.groups) hit += g.count * g.trafficPerSample * zipfHitRate(c, g.rows, g.zipf);
  return hit / w.embTrafficPerSample;
}
