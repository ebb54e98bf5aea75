// Placement codes of the kernel: a placement's index in PLACEMENTS (src/schema/vocab.ts). The hot loop compares
// small integers; everything outside it names placements (see scorePoint in score-point.ts).
import { PLACEMENTS, type Placement } from "../schema/vocab.ts";

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
    placement === P_SPLIT
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
