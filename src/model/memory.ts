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

/**
 * Shares of per-sample embedding traffic served by each tier, and the table bytes placed in each. A class whose
 * numeric fields start as doubles: every instance then has one hidden class (V8), which keeps the scoring loop
 * in optimised code.
 */
export class TierSplit {
  hbm = NaN;
  host = NaN;
  ssd = NaN;
  hbmBytes = NaN;
  hostBytes = NaN;
  ssdBytes = NaN;
  constructor() {
    this.hbm = 0;
    this.host = 0;
    this.ssd = 0;
    this.hbmBytes = 0;
    this.hostBytes = 0;
    this.ssdBytes = 0;
  }
}

/**
 * eq. E6 (placement `auto`): whole tables, densest first (lookups per byte), go to the fastest tier with room:
 * accelerator memory, then host DRAM, then SSD.
 */
export function autoSplit(w: WorkloadModel, hbmCapacity: number, hostCapacity: number, hasSsd: boolean): TierSplit {
  let hbmLeft = hbmCapacity,
    hostLeft = hostCapacity;
  const split = new TierSplit();
  for (const i of w.groupsByDensity) {
    const g = w.groups[i]!;
    // Tables of a group may split across tiers table by table.
    const inHbm = Math.min(g.count, Math.floor(Math.max(0, hbmLeft) / g.tableBytes));
    hbmLeft -= inHbm * g.tableBytes;
    const rest = g.count - inHbm;
    const inHost = Math.min(rest, Math.floor(Math.max(0, hostLeft) / g.tableBytes));
    hostLeft -= inHost * g.tableBytes;
    const inSsd = rest - inHost;
    split.hbm += inHbm * g.trafficPerSample;
    split.host += inHost * g.trafficPerSample;
    split.ssd += inSsd * g.trafficPerSample;
    split.hbmBytes += inHbm * g.tableBytes;
    split.hostBytes += inHost * g.tableBytes;
    split.ssdBytes += inSsd * g.tableBytes;
  }
  const total = w.embTrafficPerSample;
  split.hbm /= total;
  split.host /= total;
  split.ssd /= total;
  if (!hasSsd && split.ssdBytes > 0) split.ssd = Number.POSITIVE_INFINITY; // does not fit anywhere
  return split;
}
