// Predicts a measurement row's metric with given parameters. Never refits; never throws on a row.
import type { Catalog } from "../catalog/load.ts";
import { allReduceTime, COLLECTIVE_BASE_LATENCY_S } from "../model/comm.ts";
import { buildNodeModel, type NodeModel } from "../model/node.ts";
import { jobEnv, type JobEnv } from "../model/env.ts";
import { buildTierContext, type TierContext } from "../model/tiers.ts";
import type { ModelParams } from "../model/params.ts";
import { resolveStack } from "../model/software.ts";
import { placementName, precisionName, scorePoint } from "../model/score-point.ts";
import { buildWorkload, type WorkloadModel } from "../model/workload.ts";
import type { Tco } from "../schema/catalog.ts";
import { resolveRow, type RowJob } from "./job.ts";
import type { MeasurementRow } from "./measurements.ts";

export const SUPPORTED_METRICS = [
  "throughput_samples_per_s",
  "node_power_w",
  "allreduce_busbw_gb_per_s",
  "allreduce_busbw_avg_gb_per_s",
  "allreduce_busbw_peak_gb_per_s",
  "nvlink_effective_bw_non_allreduce_gb_per_s",
] as const;

/** The units each supported metric may be written in (an empty unit column means the metric's own). */
const METRIC_UNITS: Array<[RegExp, RegExp, string]> = [
  [/^throughput_samples_per_s$/, /^samples?\s*(\/|per)\s*(s|sec|second)$/i, "samples/s"],
  [/^node_power_w$/, /^(w|watts?)$/i, "W"],
  [/_gb_per_s$/, /^GB\/s\b/, "GB/s"],
];

/** Why a row's unit does not fit its metric (it would be compared as the metric's unit), or null when it does. */
export function unitProblem(metric: string, unit: string): string | null {
  const rule = METRIC_UNITS.find(([m]) => m.test(metric));
  if (!rule || unit.trim() === "" || rule[1].test(unit.trim())) return null;
  return `unit '${unit}' is not the unit of ${metric} (expected ${rule[2]})`;
}

export interface Prediction {
  predicted: number | null;
  status: string;
}

/** A resolved row, kept so repeated predictions (fitting) skip rebuilding the job. */
export interface PreparedRow {
  row: MeasurementRow;
  job: RowJob | null;
  status: string;
}

export function prepareRows(rows: MeasurementRow[], cat: Catalog, params: ModelParams): PreparedRow[] {
  const stacks = Object.keys(params.software);
  return rows.map((row) => {
    if (!(SUPPORTED_METRICS as readonly string[]).includes(row.metric))
      return { row, job: null, status: `unsupported metric '${row.metric}'` };
    const unit = unitProblem(row.metric, row.unit);
    if (unit) return { row, job: null, status: `unresolved: ${unit}` };
    if (row.metric.startsWith("allreduce") || row.metric.startsWith("nvlink")) {
      // Micro-benchmarks of collectives: the job's node and fabric, no model.
      const r = resolveRow({ ...row, model: "dlrm-mlperf-v1", framework: "hugectr" }, cat, stacks);
      return "job" in r ? { row, job: r.job, status: "ok" } : { row, job: null, status: `unresolved: ${r.unresolved}` };
    }
    const r = resolveRow(row, cat, stacks);
    if (!("job" in r)) return { row, job: null, status: `unresolved: ${r.unresolved}` };
    return { row, job: r.job, status: r.job.assumed.length ? `ok (${r.job.assumed.join("; ")})` : "ok" };
  });
}

/** The stack a job runs: its descriptor, and its release's maturity when fitted, else its framework's. */
export function stackFor(job: RowJob, params: ModelParams) {
  return resolveStack(params, job.software);
}

/**
 * A measured job: wall power without facility PUE and no constraints. With `enforceCapacity`, its placements are
 * held to the model's capacity (E8), so a run whose tables cannot fit whole is predicted with the shardings that
 * split them; without it (the fallback when none fits, since the job did run), capacity never rejects it.
 */
function envFor(job: RowJob, params: ModelParams, tco: Tco, psNode: NodeModel, enforceCapacity: boolean): JobEnv {
  return jobEnv(tco, psNode, stackFor(job, params), { pue: 1, enforceCapacity });
}

/** Parameter-independent parts of a row's job, built once (fitting predicts each row thousands of times). */
interface JobCache {
  node: NodeModel;
  work: WorkloadModel;
  tiers: TierContext;
}
const cache = new WeakMap<RowJob, JobCache>();
function cached(job: RowJob, tco: Tco): JobCache {
  let c = cache.get(job);
  if (!c) {
    const node = buildNodeModel(job.parts, tco);
    const work = buildWorkload(job.model, job.modelAxes);
    c = { node, work, tiers: buildTierContext(work, node, job.nodes) };
    cache.set(job, c);
  }
  return c;
}

/** First with capacity enforced, then, if no placement fits, without (predictRow). */
const CAPACITY_PASSES = [true, false] as const;
const SCORE_ONLY = { detail: false } as const;

export function predictRow(p: PreparedRow, params: ModelParams, tco: Tco, psNode: NodeModel): Prediction {
  if (!p.job) return { predicted: null, status: p.status };
  const ok = p.status;
  const job = p.job;
  const { node, work, tiers } = cached(job, tco);
  if (node.missing.length) return { predicted: null, status: `unresolved: catalog lacks ${node.missing.join(", ")}` };
  const metric = p.row.metric;
  if (metric.startsWith("allreduce")) {
    // nccl-tests' bus bandwidth, 2 (P-1)/P x bytes / time, of eq. N2 at large messages: the transfer time per byte,
    // without the call's base latency (N1, N2), which a 1 GB message makes negligible
    const G = node.devices,
      N = job.nodes,
      P = G * N;
    const fabricBw = node.fabricArBw * params.fabric_eff,
      nicBw = node.nicBw * params.nic_eff;
    const bytes = 1e9;
    const secondsPerByte = (allReduceTime(bytes, G, N, fabricBw, nicBw, 0, 0).time - COLLECTIVE_BASE_LATENCY_S) / bytes;
    return { predicted: (2 * (P - 1)) / P / secondsPerByte / 1e9, status: "ok" };
  }
  if (metric.startsWith("nvlink"))
    return { predicted: job.parts.fabric.gb_per_s_per_direction * params.fabric_eff, status: "ok" };
  let best = -1,
    bestPower = 0;
  const reasons = new Set<string>();
  const precision = precisionName(job.precision);
  // the best of the job's placements that fit; if none fits in the model, the best ignoring capacity
  const input = { node, workload: work, tiers, nodes: job.nodes, batch: job.batch, precision, params };
  for (const enforceCapacity of CAPACITY_PASSES) {
    const env = envFor(job, params, tco, psNode, enforceCapacity);
    for (const placement of job.placements) {
      const point = scorePoint({ ...input, env, placement: placementName(placement) }, SCORE_ONLY);
      if (!point.feasible && point.reason) reasons.add(point.reason);
      if (point.feasible && point.throughput_samples_per_s > best) {
        best = point.throughput_samples_per_s;
        bestPower = point.node_power_w;
      }
    }
    if (best >= 0) break;
  }
  if (best < 0) {
    const why = [...reasons].join(", ") || "no placement";
    return { predicted: null, status: `unresolved: the model rejects the job (${why}; docs/cost-model.md)` };
  }
  if (metric === "node_power_w") return { predicted: bestPower, status: ok };
  const evalFactor = job.includesEval ? 1 + params.eval_overhead_fraction : 1;
  return { predicted: best / evalFactor, status: ok };
}
