// The spec's vocabularies as plain constants, apart from the TypeBox schema: the model and the worker threads use
// them, and importing the schema would load TypeBox's 1,400 modules into every thread (about 100 ms each).
export const PLACEMENTS = [
  "hbm-table-wise",
  "hbm-row-wise",
  "hbm-column-wise",
  "hbm-replicated",
  "host-dram",
  "hbm-cache",
  "host-cpu-lookup",
  "remote-ps",
  "ssd-cached",
  "auto",
  "hbm-hybrid",
  "hbm-split",
  "hbm-mixed",
] as const;
export type Placement = (typeof PLACEMENTS)[number];
export const PRECISIONS = ["fp32", "tf32", "fp16", "bf16", "fp8"] as const;
export type Precision = (typeof PRECISIONS)[number];
/** Precisions a spec sweeps when training.precision is not given. */
export const DEFAULT_PRECISIONS: readonly Precision[] = ["fp16"];
export const EMBEDDING_PRECISIONS = ["fp32", "fp16", "bf16", "int8"] as const;
export const OBJECTIVES = [
  "samples_per_joule",
  "samples_per_usd",
  "throughput_samples_per_s",
  "neg_time_to_train_h",
  "neg_cost_per_run_usd",
] as const;
export type Objective = (typeof OBJECTIVES)[number];
/** The system of parameter-server and reader nodes when ps_system is not given, and their count for remote-ps. */
export const DEFAULT_PS_SYSTEM = "ps-node";
export const DEFAULT_PS_NODES = 2;
/** Objectives a spec maximises when it names none. */
export const DEFAULT_OBJECTIVES: readonly Objective[] = ["samples_per_joule", "samples_per_usd"];
/** The software stack when training.software is not given: each accelerator vendor's own (model/software.ts). */
export const DEFAULT_SOFTWARE = "vendor-default";

/**
 * The result column an objective reads and the sign that makes it a value to maximise: every objective is
 * maximised, and "neg_x" is the column x with its sign turned (a time or a cost to minimise).
 */
export function objectiveColumnName(objective: string): { column: string; sign: 1 | -1 } {
  return objective.startsWith("neg_") ? { column: objective.slice(4), sign: -1 } : { column: objective, sign: 1 };
}
export const CATALOG_KINDS = ["accelerators", "cpus", "links", "nics", "storage", "systems", "models", "tco"] as const;
export type CatalogKind = (typeof CATALOG_KINDS)[number];

/**
 * Figures a what-if part may scale or set (see docs/hardware-axes.md for the rules on figures not given); a plain
 * list here, so resolving a spec loads no TypeBox.
 */
export const DERIVE_FIGURES = [
  "memory_capacity_gb",
  "memory_bandwidth_gb_per_s",
  "peak_tflops_fp32",
  "peak_tflops_tf32",
  "peak_tflops_fp16_bf16",
  "peak_tflops_fp8",
  "scale_up_link_gb_per_s_bidirectional",
  "host_link_gb_per_s_per_direction",
  "line_rate_gbit_per_s",
  "memory_bandwidth_gb_per_s_per_socket",
  "cores",
  "tdp_w",
  "idle_w",
  "active_w",
  "price_usd",
] as const;

/** Columns appended to points.csv, frontier.csv and sample.csv (in this order, at the end): a point's prediction
 *  interval and the aspects it extrapolates in (frontier/intervals.ts fills them). */
export const INTERVAL_COLUMNS = [
  "throughput_lo80",
  "throughput_hi80",
  "throughput_lo95",
  "throughput_hi95",
  "extrapolated",
  "unmeasured",
] as const;
