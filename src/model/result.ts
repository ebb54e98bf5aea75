// The fixed layout of one scored design point, so results travel as flat Float64Arrays between threads.
import { PLACEMENTS } from "../schema/vocab.ts";

export const COLUMNS = [
  "throughput_samples_per_s",
  "power_w",
  "cost_usd_per_hour",
  "samples_per_joule",
  "samples_per_usd",
  "t_iteration_s",
  "t_compute_s",
  "t_embedding_s",
  "t_alltoall_s",
  "t_allreduce_s",
  "t_hostlink_s",
  "t_ps_s",
  "t_storage_s",
  "t_data_s",
  "t_overhead_s",
  "bottleneck",
  "node_power_w",
  "total_nodes",
  "reader_nodes",
  "time_to_train_h",
  "energy_per_run_kwh",
  "cost_per_run_usd",
  "accelerator_utilization",
  "memory_used_fraction",
  // issue 15 item 4: hbm-cache's and hbm-split's share of the tables in accelerator memory (NaN otherwise), and the
  // placement a point was scored as (auto's choice, E6; every other placement itself), a PLACEMENTS index
  "hbm_cache_share",
  "placement_resolved",
  "infeasible",
] as const;
export type Column = (typeof COLUMNS)[number];
export const NCOLS = COLUMNS.length;
export const C = Object.fromEntries(COLUMNS.map((c, i) => [c, i])) as { readonly [K in Column]: number };

/**
 * Terms of the iteration time line (eq. T1), in the order of the t_*_s columns; the bottleneck column holds an
 * index into this list.
 */
export const BOTTLENECKS = [
  "compute",
  "embedding",
  "alltoall",
  "allreduce",
  "hostlink",
  "ps",
  "storage",
  "data",
  "overhead",
] as const;
export type Bottleneck = (typeof BOTTLENECKS)[number];
export const BOTTLENECK_INDEX = Object.fromEntries(BOTTLENECKS.map((b, i) => [b, i])) as Record<Bottleneck, number>;
export const FIRST_TERM_COLUMN = C.t_compute_s;

/** Columns that hold an index into a list of names, and the list: outputs write the name. */
export const NAMED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  bottleneck: BOTTLENECKS,
  placement_resolved: PLACEMENTS,
};

/** Why a point is infeasible; 0 = feasible. The name says which tier or constraint failed. */
export const INFEASIBLE_REASONS = [
  "",
  "hbm-capacity",
  "host-dram-capacity",
  "ps-dram-capacity",
  "needs-accelerator",
  "precision-unsupported",
  "no-ssd",
  "power-budget",
  "max-nodes",
  "min-throughput",
  "no-price",
  "batch-smaller-than-devices",
  "missing-catalog-figure",
  // model faults: a figure came out NaN or infinite (a catalog figure it divides by is zero, or out of range);
  // one reason per term, so infeasible.csv and explain name where it happened
  "model-fault-compute",
  "model-fault-embedding",
  "model-fault-alltoall",
  "model-fault-allreduce",
  "model-fault-hostlink",
  "model-fault-ps",
  "model-fault-storage",
  "model-fault-data",
  "model-fault-overhead",
  "model-fault-throughput",
  "model-fault-power",
  "model-fault-cost",
  "software-unsupported",
  "pcie-lanes",
  "fabric-unsupported",
  "memory-over-cpu-max",
  "node-power-over-max",
] as const;
export type InfeasibleReason = (typeof INFEASIBLE_REASONS)[number];
export const R = Object.fromEntries(INFEASIBLE_REASONS.map((r, i) => [r === "" ? "ok" : r, i])) as Record<
  string,
  number
>;

export const REASON_TEXT: Record<string, string> = {
  "hbm-capacity": "tables, optimizer state, MLP state and activations exceed accelerator memory (HBM)",
  "host-dram-capacity": "tables and optimizer state exceed host DRAM of the trainer nodes",
  "ps-dram-capacity": "tables and optimizer state exceed the DRAM of the parameter-server nodes",
  "needs-accelerator": "the placement needs accelerators and the node has none",
  "precision-unsupported": "the device has no peak rate for this precision",
  "no-ssd": "the placement needs SSDs and the node has none",
  "power-budget": "job power exceeds constraints.power_budget_w",
  "max-nodes": "nodes of all roles exceed constraints.max_nodes",
  "min-throughput": "throughput below constraints.min_throughput_samples_per_s",
  "no-price": "no price for this node on the chosen cost basis (add price_usd or cloud_usd_per_node_hour)",
  "batch-smaller-than-devices": "global batch smaller than the number of devices",
  "missing-catalog-figure": "the catalog lacks a figure the model needs for this node",
  "model-fault-throughput":
    "model fault: throughput came out NaN or infinite though every time term is finite (an iteration of zero time)",
  "model-fault-power": "model fault: job power came out NaN or infinite (a catalog power figure is out of range)",
  "model-fault-cost":
    "model fault: cost per hour came out NaN or infinite though the node has a price (a cost or TCO figure is out of " +
    "range)",
  "pcie-lanes":
    "composed node: its CPUs' PCIe lanes cannot attach its accelerators' uplinks, NICs and SSDs " +
    "(docs/hardware-axes.md)",
  "fabric-unsupported": "composed node: the fabric does not connect this accelerator, or not this many",
  "memory-over-cpu-max": "composed node: host memory beyond its CPUs' maximum (max_memory_gb_per_socket x sockets)",
  "node-power-over-max": "composed node: its parts' peak power exceeds the node's max_power_w",
  "software-unsupported":
    "training.software does not run on this node's accelerators (HugeCTR is NVIDIA-only; docs/cost-model.md S3), " +
    "or has no hybrid embedding for hbm-hybrid; the default, vendor-default, runs each vendor's own stack",
};
for (const t of ["compute", "embedding", "alltoall", "allreduce", "hostlink", "ps", "storage", "data", "overhead"]) {
  REASON_TEXT[`model-fault-${t}`] =
    `model fault: the ${t} time (t_${t}_s) came out NaN or infinite (a catalog figure it divides by is zero, e.g. a ` +
    "link or memory with zero bandwidth)";
}

/**
 * Everything behind one point's figures, filled by the kernel only when asked for (scorePoint; the sweep asks for
 * none). Bytes, seconds, watts and USD per hour.
 */
export interface PointDetail {
  /** b = B / P, samples per device */
  localBatch: number;
  /** all-to-all payload per device, each way (eq. N1) */
  alltoallBytesPerDevice: number;
  /** bytes all-reduced: MLP gradients and E2c/E11 table gradients (eq. N2) */
  allreduceBytes: number;
  /** all-to-all (forward and backward) and all-reduce times before overlap (eq. T1) */
  alltoallS: number;
  allreduceS: number;
  /** hbm-cache and ssd-cached: the cache's hit rate (eq. E4); NaN otherwise */
  cacheHitRate: number;
  /** per trainer node, eq. P1-P3 */
  acceleratorW: number;
  cpuW: number;
  dramW: number;
  nicW: number;
  ssdW: number;
  chassisW: number;
  /** the job, eq. P1, P4 */
  trainerNodeW: number;
  psNodesW: number;
  readerNodesW: number;
  switchW: number;
  itW: number;
  pue: number;
  /** eq. K1: capital and energy (capital basis) or cloud rates (cloud basis) */
  capitalUsdPerHour: number;
  energyUsdPerHour: number;
  cloudUsdPerHour: number;
  /** eq. E7, E8 */
  onDeviceBytes: number;
  onHostBytesPerNode: number;
  mlpStateBytes: number;
  activationBytes: number;
}
