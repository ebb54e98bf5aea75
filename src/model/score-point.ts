// One typed way to score a design point, for every caller outside the sweep's hot loop (explain, calibration,
// tests): named inputs, placement and precision by name, a named result. Behind it the kernel, evaluatePoint,
// writes one row of a Float64Array, as the hot loop needs; this module is the only other reader of its columns.
import { PLACEMENTS, PRECISIONS, type Placement, type Precision } from "../schema/vocab.ts";
import type { JobEnv } from "./env.ts";
import { evaluatePoint } from "./evaluate.ts";
import type { NodeModel } from "./node.ts";
import type { ModelParams } from "./params.ts";
import { PLACEMENT_INDEX } from "./placement.ts";
import {
  BOTTLENECKS,
  C,
  INFEASIBLE_REASONS,
  NCOLS,
  type Bottleneck,
  type InfeasibleReason,
  type PointDetail,
} from "./result.ts";
import { buildTierContext, type TierContext } from "./tiers.ts";
import type { WorkloadModel } from "./workload.ts";

/** One design point: a training job (docs/cost-model.md, first paragraph). */
export interface PointInputs {
  node: NodeModel;
  workload: WorkloadModel;
  /** the embedding tiers of (workload, node, nodes); built here when not given (callers scoring many points of
   *  the same job pass theirs) */
  tiers?: TierContext;
  /** trainer nodes N */
  nodes: number;
  placement: Placement;
  /** global batch B, samples per iteration */
  batch: number;
  precision: Precision;
  /** parameter-server nodes S; remote-ps needs at least one, other placements ignore it (default 0) */
  psNodes?: number;
  /** hbm-cache and hbm-split: share of the tables' bytes in accelerator memory, in (0, 1]; absent or null: as much
   *  as fits (E4, E12); other placements ignore it */
  hbmShare?: number | null;
  env: JobEnv;
  params: ModelParams;
}

/** The time line of one iteration (eq. T1), seconds: the terms add up to iteration_s. */
export interface PointTimes {
  /** eq. C1-C3 */
  compute_s: number;
  /** device-memory gathers (E2, E2b, E2c, E11, cache hits of E3; CPU trainers' gathers, E5) */
  embedding_s: number;
  /** the exposed part of the all-to-all (N1, T1) */
  alltoall_s: number;
  /** the exposed part of the all-reduce (N2, T1) */
  allreduce_s: number;
  /** host-link reads or host-CPU gathers (E3, E5, E6) */
  hostlink_s: number;
  /** remote parameter servers (E9) */
  ps_s: number;
  /** SSD misses (E10) */
  storage_s: number;
  /** data loading beyond the rest of the iteration (D1) */
  data_s: number;
  /** the software stack's fixed overhead t0 */
  overhead_s: number;
  iteration_s: number;
}

/**
 * A scored point. An infeasible point keeps the figures the model computed before it rejected the point, and 0 for
 * the others (a point rejected early, say for memory, has no throughput, power or cost).
 */
export interface ScoredPoint {
  feasible: boolean;
  /** why the point is infeasible; null when feasible */
  reason: Exclude<InfeasibleReason, ""> | null;
  throughput_samples_per_s: number;
  /** the job's power, PUE included (section P) */
  power_w: number;
  /** section K */
  cost_usd_per_hour: number;
  samples_per_joule: number;
  samples_per_usd: number;
  time: PointTimes;
  /** the largest term of the time line (eq. T1); null when the point was rejected before its time line */
  bottleneck: Bottleneck | null;
  /** one trainer node, chassis overhead included, no PUE (eq. P1, P2) */
  node_power_w: number;
  /** trainers, parameter servers and readers */
  total_nodes: number;
  /** eq. D2 */
  reader_nodes: number;
  /** per run of samples_to_train samples: NaN without samples_to_train */
  time_to_train_h: number;
  energy_per_run_kwh: number;
  cost_per_run_usd: number;
  /** share of the iteration the accelerators compute or gather (P1) */
  accelerator_utilization: number;
  /** share of device memory (of host DRAM on CPU trainers) in use (E8): tables, HBM cache, MLP state, activations */
  memory_used_fraction: number;
  /** hbm-cache and hbm-split: the share of the tables' bytes in accelerator memory (E4, E12); NaN otherwise */
  hbm_cache_share: number;
  /** the placement the point was scored as: auto's choice (E6), otherwise the placement itself */
  placement_resolved: Placement;
  /** everything behind the figures; null when not asked for or when the point was rejected before they exist */
  detail: PointDetail | null;
}

export interface ScoreOptions {
  /** fill `detail` (default true); calibration's fits, which score each job thousands of times, skip it */
  detail?: boolean;
}

const row = new Float64Array(NCOLS);

/** Scores one design point (docs/cost-model.md): the kernel's figures, named. */
export function scorePoint(inputs: PointInputs, options: ScoreOptions = {}): ScoredPoint {
  const { node, workload, nodes, placement, batch, precision, env, params } = inputs;
  const placementCode = PLACEMENT_INDEX[placement];
  if (placementCode === undefined) throw new RangeError(`scorePoint: unknown placement '${placement}'`);
  const precisionCode = PRECISIONS.indexOf(precision);
  if (precisionCode < 0) throw new RangeError(`scorePoint: unknown precision '${precision}'`);
  const psNodes = inputs.psNodes ?? 0;
  if (placement === "remote-ps" && !(psNodes >= 1)) {
    throw new RangeError("scorePoint: remote-ps needs psNodes of at least 1");
  }
  const hbmShare = inputs.hbmShare ?? NaN;
  if (!Number.isNaN(hbmShare) && !(hbmShare > 0 && hbmShare <= 1)) {
    throw new RangeError(`scorePoint: hbmShare must be in (0, 1], got ${hbmShare}`);
  }
  const tiers = inputs.tiers ?? buildTierContext(workload, node, nodes);
  const detail = options.detail === false ? undefined : ({} as PointDetail);
  row.fill(0); // a rejected point's figures not computed read 0 (evaluatePoint leaves them as they were)
  evaluatePoint(
    row,
    0,
    node,
    workload,
    tiers,
    nodes,
    placementCode,
    batch,
    precisionCode,
    psNodes,
    hbmShare,
    env,
    params,
    detail,
  );
  // the kernel fills the detail only once it has every figure (not for a point rejected before)
  return pointFromRow(row, 0, detail !== undefined && "localBatch" in detail ? detail : null);
}

/** The named figures of a kernel row out[o .. o+NCOLS) (evaluatePoint's layout, src/model/result.ts). */
export function pointFromRow(out: Float64Array, o = 0, detail: PointDetail | null = null): ScoredPoint {
  const code = out[o + C.infeasible]!;
  return {
    feasible: code === 0,
    reason: code === 0 ? null : (INFEASIBLE_REASONS[code] as Exclude<InfeasibleReason, "">),
    throughput_samples_per_s: out[o + C.throughput_samples_per_s]!,
    power_w: out[o + C.power_w]!,
    cost_usd_per_hour: out[o + C.cost_usd_per_hour]!,
    samples_per_joule: out[o + C.samples_per_joule]!,
    samples_per_usd: out[o + C.samples_per_usd]!,
    time: {
      compute_s: out[o + C.t_compute_s]!,
      embedding_s: out[o + C.t_embedding_s]!,
      alltoall_s: out[o + C.t_alltoall_s]!,
      allreduce_s: out[o + C.t_allreduce_s]!,
      hostlink_s: out[o + C.t_hostlink_s]!,
      ps_s: out[o + C.t_ps_s]!,
      storage_s: out[o + C.t_storage_s]!,
      data_s: out[o + C.t_data_s]!,
      overhead_s: out[o + C.t_overhead_s]!,
      iteration_s: out[o + C.t_iteration_s]!,
    },
    // the kernel writes the bottleneck with the iteration time
    bottleneck: out[o + C.t_iteration_s]! > 0 ? BOTTLENECKS[out[o + C.bottleneck]!]! : null,
    node_power_w: out[o + C.node_power_w]!,
    total_nodes: out[o + C.total_nodes]!,
    reader_nodes: out[o + C.reader_nodes]!,
    time_to_train_h: out[o + C.time_to_train_h]!,
    energy_per_run_kwh: out[o + C.energy_per_run_kwh]!,
    cost_per_run_usd: out[o + C.cost_per_run_usd]!,
    accelerator_utilization: out[o + C.accelerator_utilization]!,
    memory_used_fraction: out[o + C.memory_used_fraction]!,
    hbm_cache_share: out[o + C.hbm_cache_share]!,
    placement_resolved: PLACEMENTS[out[o + C.placement_resolved]!]!,
    detail,
  };
}

/** A placement's or precision's name from the kernel's code (an index into PLACEMENTS or PRECISIONS). */
export const placementName = (code: number): Placement => PLACEMENTS[code]!;
export const precisionName = (code: number): Precision => PRECISIONS[code]!;
