// The batch-independent parts of a job's embedding tiers (docs/cost-model.md section E), built once per
// (workload, node, node count) and shared by every point that differs only in placement, batch or precision.
import { cacheHitRate, frequentRowsFast, hotSetHitRateOnce } from "./memory.ts";
import type { NodeModel } from "./node.ts";
import { mlpStateBytes, type WorkloadModel } from "./workload.ts";

/** The replicated frequent rows of hbm-hybrid take at most half of the free device memory (eq. E11). */
export const HYBRID_MAX_SHARE_OF_FREE_HBM = 1 / 2;

/** |alpha - 1| below which E4 uses its logarithmic form (as memory.ts zipfHitRate) */
const ZIPF_ONE = 1e-9;

/** Bytes that exceed a capacity only by floating-point rounding (a relative 1e-12) still fit: a cache sized to fill
 *  the free memory exactly must not fail the check it was sized by (E8). */
export const FITS_ROUNDING = 1 + 1e-12;

/** Share of device memory kept free for framework workspace and fragmentation (assumption, docs P/E). */
export const MEMORY_RESERVE_FRACTION = 0.1;

/**
 * Per workload: what eq. E4 needs at any HBM cache share, per table group: its share of the traffic, its rows, the
 * exponent e = 1 - alpha, R^e (ln R at alpha = 1) and the denominator R^e - 1 (ln R at alpha = 1); (cR)^e = c^e R^e,
 * so one power per distinct exponent (`distinct`, `which`: each group's) serves every group. Built once per workload
 * and shared by all its tier contexts (a pruned sweep builds hundreds of thousands of them).
 */
class ZipfGroups {
  readonly weight: Float64Array;
  readonly rows: Float64Array;
  readonly exponent: Float64Array;
  readonly rowsPow: Float64Array;
  readonly denominator: Float64Array;
  readonly distinct: Float64Array;
  readonly which: Int32Array;
  /** scratch for c^e per distinct exponent (used only within one cacheHitAt call) */
  readonly sharePow: Float64Array;
  constructor(w: WorkloadModel) {
    this.weight = Float64Array.from(w.groups, (g) => (g.count * g.trafficPerSample) / w.embTrafficPerSample);
    this.rows = Float64Array.from(w.groups, (g) => g.rows);
    this.exponent = Float64Array.from(w.groups, (g) => 1 - g.zipf);
    const logForm = (a: number) => Math.abs(a - 1) < ZIPF_ONE;
    this.rowsPow = Float64Array.from(w.groups, (g) => (logForm(g.zipf) ? Math.log(g.rows) : g.rows ** (1 - g.zipf)));
    this.denominator = Float64Array.from(w.groups, (g) =>
      logForm(g.zipf) ? Math.log(g.rows) : g.rows ** (1 - g.zipf) - 1,
    );
    const exps = [...new Set(w.groups.map((g) => 1 - g.zipf))];
    this.distinct = Float64Array.from(exps);
    this.which = Int32Array.from(w.groups, (g) => exps.indexOf(1 - g.zipf));
    this.sharePow = new Float64Array(exps.length);
  }
}

const zipfGroupsOf = new WeakMap<WorkloadModel, ZipfGroups>();
function zipfGroups(w: WorkloadModel): ZipfGroups {
  let z = zipfGroupsOf.get(w);
  if (!z) {
    z = new ZipfGroups(w);
    zipfGroupsOf.set(w, z);
  }
  return z;
}

/**
 * Per (workload, node, node count): the batch-independent parts of the embedding tiers, computed once. A class
 * with numeric fields that start as doubles, so all instances share one hidden class (otherwise a CPU node's
 * integer zeros and a GPU node's fractions give two, and the optimised scoring loop keeps deoptimising).
 */
export class TierContext {
  hbmFree = NaN;
  dramCacheHit = NaN;
  /**
   * eq. E11 at the last threshold asked of frequentAt: the frequent rows' share of the traffic, their bytes as stored
   * and their fp32 weights' bytes (HugeCTR's threshold depends only on batch, devices and nodes: neighbouring points
   * ask the same one)
   */
  readonly frequent = new Float64Array(3);
  private lastThreshold = NaN;
  private readonly w: WorkloadModel;
  /** the last HBM cache share asked of cacheHitAt and its hit rate: neighbouring points ask the same share */
  private lastShare = NaN;
  private lastHit = NaN;
  /** the workload's table groups for eq. E4 (shared by every context of the workload) */
  private readonly zipf: ZipfGroups;
  constructor(w: WorkloadModel, hbmFree: number, dramCacheHit: number) {
    this.hbmFree = hbmFree;
    this.dramCacheHit = dramCacheHit;
    this.w = w;
    this.lastShare = -1;
    this.lastHit = 0;
    this.zipf = zipfGroups(w);
  }

  /**
   * eq. E11: fills `frequent` with HugeCTR's frequent rows at threshold `q` (frequent.ts), capped at half the free
   * device memory: a set beyond the cap is the frequency-ranked set (E4g) that fills it, as HugeCTR keeps the most
   * counted categories up to its configured maximum.
   */
  frequentAt(q: number): Float64Array {
    if (q !== this.lastThreshold) {
      const f = this.frequent;
      frequentRowsFast(this.w, q, f);
      const cap = Math.max(0, this.hbmFree * HYBRID_MAX_SHARE_OF_FREE_HBM);
      if (f[1]! > cap) {
        f[2] = (f[2]! * cap) / f[1]!;
        f[1] = cap;
        f[0] = hotSetHitRateOnce(this.w, cap);
      }
      this.lastThreshold = q;
    }
    return this.frequent;
  }

  /**
   * eq. E4: hit rate of an HBM cache holding the hottest `share` (0..1) of every table's rows, weighted by traffic.
   * Remembers the last share asked: the sweep asks the same share for every batch and precision of a variant.
   */
  cacheHitAt(share: number): number {
    if (share >= 1) return 1;
    if (share <= 0) return 0;
    if (share !== this.lastShare) {
      const z = this.zipf;
      // memory.ts zipfHitRate per group: c^e once per distinct exponent, then (cR)^e = c^e R^e
      for (let k = 0; k < z.distinct.length; k++) {
        const e = z.distinct[k]!;
        z.sharePow[k] = Math.abs(e) < ZIPF_ONE ? Math.log(share) : share ** e;
      }
      let hit = 0;
      for (let g = 0; g < z.rows.length; g++) {
        const R = z.rows[g]!,
          e = z.exponent[g]!;
        let h: number;
        if (R <= 1) h = 1;
        else if (e === 1) h = share;
        else if (share * R <= 1)
          h = 0; // the cache holds at most one row: (1^e - 1) = 0, ln 1 = 0
        else if (Math.abs(e) < ZIPF_ONE) h = (z.sharePow[z.which[g]!]! + z.rowsPow[g]!) / z.denominator[g]!;
        else h = (z.sharePow[z.which[g]!]! * z.rowsPow[g]! - 1) / z.denominator[g]!;
        hit += z.weight[g]! * h;
      }
      this.lastHit = hit;
      this.lastShare = share;
    }
    return this.lastHit;
  }
}

/** eq. E8: a device's memory left for tables after the reserve and the MLP state (E7), before activations. */
export function freeHbmForTables(node: NodeModel, w: WorkloadModel): number {
  return node.memBytesPerDevice * (1 - MEMORY_RESERVE_FRACTION) - mlpStateBytes(w);
}

/**
 * Device memory free for tables after the MLP state (E7) and the reserve (E8), before activations (which depend on
 * the batch: the kernel subtracts them); the hit rates of host DRAM in front of SSDs (ssd-cached, E4, E10) and of
 * HugeCTR's frequent rows (E11, per threshold, when asked).
 */
export function buildTierContext(w: WorkloadModel, node: NodeModel, nodes: number): TierContext {
  const hbmFree = node.isCpuOnly ? 0 : freeHbmForTables(node, w);
  const hostCapacity = nodes * node.dramBytes * (1 - MEMORY_RESERVE_FRACTION);
  return new TierContext(w, hbmFree, cacheHitRate(w, hostCapacity));
}
