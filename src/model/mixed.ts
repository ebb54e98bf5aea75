// hbm-mixed (docs/cost-model.md, eq. E2m): table-wise sharding where a table fits one device whole, row-wise
// sharding over every device for the tables that do not, as sharding planners do (TorchRec's planner picks a sharding
// per table; NVIDIA's Merlin Distributed Embeddings, which DeepLearningExamples' TF2 DLRM uses, slices a table by
// rows above 1e10 elements and keeps the rest whole). The largest tables are split first, and only as many as the
// plan needs to fit. Pure functions of the workload; the kernel calls mixedBoundary once per hbm-mixed point.
/** One table group as the plan needs it (a subset of workload.ts's TableGroupModel). */
export interface SplitGroup {
  count: number;
  dim: number;
  tableBytes: number;
  trafficPerSample: number;
}

/**
 * Prefix sums over table groups sorted by table bytes, largest first: entry i describes the plan that splits the
 * first i groups (0: none, the table-wise plan; groups: all, the row-wise plan). Splitting part of a group never
 * helps: the group's tables stay the largest whole ones, so the boundaries between groups are the only candidates.
 */
export interface SplitPlan {
  /** split tables' bytes, per-sample traffic (eq. E0) and pooled elements per sample (sum of their dims) */
  bytes: Float64Array;
  traffic: Float64Array;
  pooled: Float64Array;
  /** how many tables are split */
  tables: Float64Array;
  /** the largest whole table's bytes and the busiest whole table's traffic per sample (0 when all are split) */
  restMaxBytes: Float64Array;
  restMaxTraffic: Float64Array;
}

/** The plan's prefix sums for `groups` (eq. E2m). */
export function buildSplitPlan(groups: readonly SplitGroup[]): SplitPlan {
  const order = groups.map((_, i) => i).sort((a, b) => groups[b]!.tableBytes - groups[a]!.tableBytes || a - b);
  const n = order.length;
  const plan: SplitPlan = {
    bytes: new Float64Array(n + 1),
    traffic: new Float64Array(n + 1),
    pooled: new Float64Array(n + 1),
    tables: new Float64Array(n + 1),
    restMaxBytes: new Float64Array(n + 1),
    restMaxTraffic: new Float64Array(n + 1),
  };
  for (let i = 0; i < n; i++) {
    const g = groups[order[i]!]!;
    plan.bytes[i + 1] = plan.bytes[i]! + g.count * g.tableBytes;
    plan.traffic[i + 1] = plan.traffic[i]! + g.count * g.trafficPerSample;
    plan.pooled[i + 1] = plan.pooled[i]! + g.count * g.dim;
    plan.tables[i + 1] = plan.tables[i]! + g.count;
  }
  for (let i = n - 1; i >= 0; i--) {
    const g = groups[order[i]!]!;
    plan.restMaxBytes[i] = Math.max(g.tableBytes, plan.restMaxBytes[i + 1]!);
    plan.restMaxTraffic[i] = Math.max(g.trafficPerSample, plan.restMaxTraffic[i + 1]!);
  }
  return plan;
}

/**
 * eq. E2m, E8: table bytes on the busiest of P devices when the first i groups are split: the whole tables
 * balanced (at least the largest of them) plus 1/P of every split table.
 */
export function mixedBytesPerDevice(plan: SplitPlan, embBytes: number, P: number, i: number): number {
  return Math.max((embBytes - plan.bytes[i]!) / P, plan.restMaxBytes[i]!) + plan.bytes[i]! / P;
}

/**
 * eq. E2m: the fewest groups to split so that the tables fit `room` bytes per device (device memory after the
 * reserve, MLP state and activations, with the caller's rounding allowance); all of them when no plan fits (the
 * point then fails E8's hbm-capacity).
 * Fewer devices or less room never split fewer tables, which the pruning bound relies on (bound-comm.ts).
 */
export function mixedBoundary(plan: SplitPlan, embBytes: number, P: number, room: number): number {
  const last = plan.bytes.length - 1;
  for (let i = 0; i < last; i++) if (mixedBytesPerDevice(plan, embBytes, P, i) <= room) return i;
  return last;
}
