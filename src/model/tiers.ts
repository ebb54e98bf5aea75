// The batch-independent parts of a job's embedding tiers (docs/cost-model.md section E), built once per
// (workload, node, node count) and shared by every point that differs only in placement, batch or precision.
import { autoSplit, cacheHitRate, type TierSplit } from "./memory.ts";
import type { NodeModel } from "./node.ts";
import { mlpStateBytes, type WorkloadModel } from "./workload.ts";

/** Candidate sizes of the replicated hot set of hbm-hybrid (eq. E11); the best one is chosen per point. */
export const HYBRID_HOT_BYTES = [16e6, 64e6, 256e6, 1024e6];

/** Share of device memory kept free for framework workspace and fragmentation (assumption, docs P/E). */
export const MEMORY_RESERVE_FRACTION = 0.1;

/**
 * Per (workload, node, node count): the batch-independent parts of the embedding tiers, computed once. A class
 * with numeric fields that start as doubles, so all instances share one hidden class (otherwise a CPU node's
 * integer zeros and a GPU node's fractions give two, and the optimised scoring loop keeps deoptimising).
 */
export class TierContext {
  hbmFree = NaN;
  cacheHit = NaN;
  dramCacheHit = NaN;
  auto: TierSplit;
  /** hit rate of a replicated hot set of each HYBRID_HOT_BYTES size (eq. E11) */
  hybridHit: Float64Array;
  constructor(hbmFree: number, cacheHit: number, dramCacheHit: number, auto: TierSplit, hybridHit: Float64Array) {
    this.hbmFree = hbmFree;
    this.cacheHit = cacheHit;
    this.dramCacheHit = dramCacheHit;
    this.auto = auto;
    this.hybridHit = hybridHit;
  }
}

/**
 * Device memory free for tables after the MLP state (E7) and the reserve (E8); the hit rates of a cache in it
 * (hbm-cache), of host DRAM in front of SSDs (ssd-cached) and of each hybrid hot set (E4, E10, E11); `auto`'s split
 * (E6).
 */
export function buildTierContext(w: WorkloadModel, node: NodeModel, nodes: number): TierContext {
  const P = node.devices * nodes;
  const hbmFree = node.isCpuOnly ? 0 : node.memBytesPerDevice * (1 - MEMORY_RESERVE_FRACTION) - mlpStateBytes(w);
  const hostCapacity = nodes * node.dramBytes * (1 - MEMORY_RESERVE_FRACTION);
  return new TierContext(
    hbmFree,
    cacheHitRate(w, Math.max(0, hbmFree) * P),
    cacheHitRate(w, hostCapacity),
    autoSplit(w, Math.max(0, hbmFree) * P, hostCapacity, node.ssdCount > 0),
    hybridHits(w),
  );
}

const hybridHitsOf = new WeakMap<WorkloadModel, Float64Array>();
/** eq. E4 for each hot-set size of eq. E11: a property of the workload alone, computed once per workload (shared). */
function hybridHits(w: WorkloadModel): Float64Array {
  let h = hybridHitsOf.get(w);
  if (!h) {
    h = Float64Array.from(HYBRID_HOT_BYTES, (bytes) => cacheHitRate(w, Math.min(bytes, w.embBytes)));
    hybridHitsOf.set(w, h);
  }
  return h;
}
