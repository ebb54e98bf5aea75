// Placement codes of the kernel: a placement's index in PLACEMENTS (src/schema/vocab.ts). The hot loop compares
// small integers; everything outside it names placements (see scorePoint in score-point.ts).
import { PLACEMENTS, type Placement } from "../schema/vocab.ts";
import type { NodeModel } from "./node.ts";
import { C, R } from "./result.ts";
import { FITS_ROUNDING } from "./tiers.ts";
import type { WorkloadModel } from "./workload.ts";

export const PLACEMENT_INDEX = Object.fromEntries(PLACEMENTS.map((p, i) => [p, i])) as Record<Placement, number>;

export const P_TABLE = PLACEMENT_INDEX["hbm-table-wise"];
export const P_ROW = PLACEMENT_INDEX["hbm-row-wise"];
export const P_COL = PLACEMENT_INDEX["hbm-column-wise"];
export const P_REPL = PLACEMENT_INDEX["hbm-replicated"];
export const P_HOST = PLACEMENT_INDEX["host-dram"];
export const P_CACHE = PLACEMENT_INDEX["hbm-cache"];
export const P_CPU = PLACEMENT_INDEX["host-cpu-lookup"];
export const P_PS = PLACEMENT_INDEX["remote-ps"];
export const P_SSD = PLACEMENT_INDEX["ssd-cached"];
export const P_AUTO = PLACEMENT_INDEX.auto;
export const P_HYBRID = PLACEMENT_INDEX["hbm-hybrid"];
export const P_SPLIT = PLACEMENT_INDEX["hbm-split"];
export const P_MIXED = PLACEMENT_INDEX["hbm-mixed"];

/** Placements whose tables or cache live in accelerator memory, or that feed accelerators from the host CPUs. */
export function needsAccelerator(placement: number): boolean {
  return (
    placement === P_TABLE ||
    placement === P_ROW ||
    placement === P_COL ||
    placement === P_REPL ||
    placement === P_CACHE ||
    placement === P_CPU ||
    placement === P_HYBRID ||
    placement === P_SPLIT ||
    placement === P_MIXED
  );
}

/**
 * eq. E6, the `auto` policy: the first placement of a fixed ladder whose tables fit. On accelerators:
 * hbm-table-wise when every table, whole, fits each device's memory left after MLP state and activations
 * (`tableWisePerDevice <= hbmLeft`, bytes per device); else hbm-cache (a cache filling that memory, E4) when host
 * DRAM holds the tables (`embPerNode <= hostCap`, bytes per node); else ssd-cached when the node has SSDs; else
 * hbm-cache, which then fails host-dram-capacity. CPU-only nodes: host-dram, else ssd-cached, else host-dram.
 * Returns the placement code (PLACEMENTS index) the point is scored as; the outputs write it as placement_resolved.
 */
export function resolveAuto(
  isCpuOnly: boolean,
  hasSsd: boolean,
  tableWisePerDevice: number,
  hbmLeft: number,
  embPerNode: number,
  hostCap: number,
): number {
  if (isCpuOnly) return embPerNode <= hostCap || !hasSsd ? P_HOST : P_SSD;
  if (tableWisePerDevice <= hbmLeft) return P_TABLE;
  return embPerNode <= hostCap || !hasSsd ? P_CACHE : P_SSD;
}

/**
 * The share of the tables' bytes in accelerator memory for hbm-cache and hbm-split (E4, E12): the variant's share
 * (training.hbm_cache_share) when it gives one (`variantShare` not NaN), else as much as fits: `hbmLeft` bytes per
 * device (after MLP state, activations and the reserve) over the whole tables a device serves, at most 1.
 */
export function hbmShareOf(variantShare: number, tableWisePerDevice: number, hbmLeft: number): number {
  if (!Number.isNaN(variantShare)) return variantShare;
  return hbmLeft <= 0 ? 0 : Math.min(1, hbmLeft / tableWisePerDevice);
}

/**
 * eq. E8 for hbm-cache and hbm-split before their terms are computed (the same checks the kernel makes after them,
 * in the same order, so a point that cannot fit skips E4): the HBM part, `share` of the whole tables a device serves,
 * within `hbmLeft`; the host copy (all of it for the cache, the rest for the split, `embPerNode` bytes per node in
 * all) within `hostCap`. Returns 0 or the infeasibility code.
 */
export function sharedCapacityFault(
  placement: number,
  share: number,
  tableWisePerDevice: number,
  hbmLeft: number,
  embPerNode: number,
  hostCap: number,
): number {
  if (share * tableWisePerDevice > hbmLeft * FITS_ROUNDING) return R["hbm-capacity"]!;
  if ((placement === P_CACHE ? 1 : 1 - share) * embPerNode > hostCap) return R["host-dram-capacity"]!;
  return 0;
}

/**
 * The kernel's placement step (eq. E6, E4/E12, E8), before the embedding terms: resolves `auto` (resolveAuto), gives
 * hbm-cache and hbm-split their HBM share (hbmShareOf: `variantShare`, NaN for as much as fits) and, when
 * `enforceCapacity`, checks their capacity first (sharedCapacityFault). Writes the placement scored and the share
 * (NaN for placements without one) into the kernel row out[o..] as placement_resolved and hbm_cache_share.
 * `hbmLeft`: device bytes left after reserve, MLP state and activations; `hostCap`: usable host bytes per node.
 * Returns the placement code to score (>= 0), or minus an infeasibility code.
 */
export function resolvePlacement(
  out: Float64Array,
  o: number,
  node: NodeModel,
  w: WorkloadModel,
  placement: number,
  variantShare: number,
  nodes: number,
  hbmLeft: number,
  hostCap: number,
  enforceCapacity: boolean,
): number {
  const perDevice = Math.max(w.embBytes / (node.devices * nodes), w.maxTableBytes); // E2, E8: whole tables
  const embPerNode = w.embBytes / nodes;
  let pl = placement;
  if (pl === P_AUTO) pl = resolveAuto(node.isCpuOnly, node.ssdCount > 0, perDevice, hbmLeft, embPerNode, hostCap);
  out[o + C.placement_resolved] = pl;
  if (pl !== P_CACHE && pl !== P_SPLIT) {
    out[o + C.hbm_cache_share] = NaN;
    return pl;
  }
  const share = hbmShareOf(variantShare, perDevice, hbmLeft);
  out[o + C.hbm_cache_share] = share;
  const fault = enforceCapacity ? sharedCapacityFault(pl, share, perDevice, hbmLeft, embPerNode, hostCap) : 0;
  return fault === 0 ? pl : -fault;
}
