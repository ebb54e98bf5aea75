// Node designs bounded together (docs/cost-model.md, "Bounds for pruning", B9): designs that differ only in figures
// every bound is monotone in (host CPU power, DRAM size, bandwidth and power, NICs, host link, price) share one
// optimistic node whose bounds are at least each member's, so a whole group is skipped with one evaluation. Pure.
import type { NodeModel } from "./node.ts";

/** Figures the bounds improve with when larger (capacity, bandwidth): the group takes their largest. */
const LARGER_IS_BETTER = ["dramBytes", "dramBw", "nicBw", "hostLinkBw", "stagedBw"] as const;
/** Figures the bounds improve with when smaller (latency, power, port count, price): the group takes their least. */
const SMALLER_IS_BETTER = [
  "nicLatencyS",
  "cpuIdleW",
  "cpuPeakW",
  "dramW",
  "nicIdleW",
  "nicActiveW",
  "nicCount",
  "priceUsd",
  "cloudUsdPerHour",
] as const;
// the host CPUs' peak rates: not read by the bounds of accelerator nodes (CPU-only nodes: peakFlops is in the key)
const FREE: ReadonlySet<string> = new Set<string>([...LARGER_IS_BETTER, ...SMALLER_IS_BETTER, "id", "cpuPeakFlops"]);

/**
 * The key of a node's group: every figure outside the free ones, as written. CPU-only nodes compute on their CPUs,
 * so their peak rates and memory bandwidth differ and they group only with identical CPUs. Nodes missing a figure
 * are never grouped (null).
 */
export function boundGroupKey(node: NodeModel): string | null {
  if (node.missing.length) return null;
  const fixed: unknown[] = [];
  for (const [k, v] of Object.entries(node)) if (!FREE.has(k)) fixed.push(k, v);
  return JSON.stringify(fixed);
}

/**
 * The optimistic node of a group (members share their boundGroupKey): the best of each free figure. Every bound of
 * model/bounds.ts is monotone in each of them in that direction (B9), so the node's bounds are at least every
 * member's. A figure some member lacks (NaN price or rate) makes the group's figure NaN: its bounds then prune nothing.
 */
export function optimisticNode(members: readonly NodeModel[]): NodeModel {
  const out: NodeModel = { ...members[0]!, id: `group of ${members.length}` };
  const rec = out as unknown as Record<string, number>;
  for (const m of members) {
    const r = m as unknown as Record<string, number>;
    for (const k of LARGER_IS_BETTER) rec[k] = r[k]! > rec[k]! || Number.isNaN(r[k]!) ? r[k]! : rec[k]!;
    for (const k of SMALLER_IS_BETTER) rec[k] = r[k]! < rec[k]! || Number.isNaN(r[k]!) ? r[k]! : rec[k]!;
  }
  return out;
}
