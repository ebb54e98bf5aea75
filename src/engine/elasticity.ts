// Which hardware figure matters: for each frontier point, the elasticity of each objective with respect to each
// hardware figure of its node: (relative change of the objective) / (relative change of the figure), for a 10 %
// increase of that figure alone (price and power unchanged). elasticity.csv; docs/hardware-axes.md.
import { objectiveValue } from "../frontier/objectives.ts";
import { evaluatePoint } from "../model/evaluate.ts";
import { buildNodeModel, type NodeParts } from "../model/node.ts";
import { NCOLS } from "../model/result.ts";
import { buildTierContext } from "../model/tiers.ts";
import { AXIS, indexToCoords } from "../space/space.ts";
import type { ScoringContext } from "./context.ts";

/** The relative step of every figure. */
export const ELASTICITY_STEP = 0.1;

type Scale = (parts: NodeParts, f: number) => NodeParts;
const scaleFields = <T extends object>(part: T, fields: string[], f: number): T => {
  const out = { ...part } as Record<string, unknown>;
  for (const k of fields) if (typeof out[k] === "number") out[k] = (out[k] as number) * f;
  return out as T;
};

/** The figures, by column name: how each scales a node's parts (CPU-only nodes: the CPUs' figure). */
export const FIGURES: Record<string, Scale> = {
  hbm_bandwidth: (p, f) =>
    p.accelerator && p.accelerators_per_node > 0
      ? { ...p, accelerator: scaleFields(p.accelerator, ["memory_bandwidth_gb_per_s"], f) }
      : { ...p, cpu: scaleFields(p.cpu, ["memory_bandwidth_gb_per_s_per_socket"], f) },
  flop_rate: (p, f) =>
    p.accelerator && p.accelerators_per_node > 0
      ? {
          ...p,
          accelerator: scaleFields(
            p.accelerator,
            ["peak_tflops_fp32", "peak_tflops_tf32", "peak_tflops_fp16_bf16", "peak_tflops_fp8"],
            f,
          ),
        }
      : { ...p, cpu: scaleFields(p.cpu, ["fp32_flop_per_cycle_per_core", "bf16_flop_per_cycle_per_core"], f) },
  nic_bandwidth: (p, f) => ({ ...p, nic: scaleFields(p.nic, ["line_rate_gbit_per_s"], f) }),
  host_link_bandwidth: (p, f) =>
    p.host_link
      ? { ...p, host_link: scaleFields(p.host_link, ["gb_per_s_per_direction"], f) }
      : p.accelerator
        ? { ...p, accelerator: scaleFields(p.accelerator, ["host_link_gb_per_s_per_direction"], f) }
        : p,
  accelerator_memory: (p, f) =>
    p.accelerator ? { ...p, accelerator: scaleFields(p.accelerator, ["memory_capacity_gb"], f) } : p,
  host_memory: (p, f) => ({ ...p, host_memory_gb: p.host_memory_gb * f }),
};

export const ELASTICITY_COLUMNS = ["index", "workload", "system", "objective", ...Object.keys(FIGURES)];

/**
 * Rows of elasticity.csv for the given frontier points: one per point and objective, one column per figure (empty
 * where the point is infeasible once the figure changes, or the objective is 0).
 */
export function elasticityRecords(ctx: ScoringContext, indices: readonly number[]): string[][] {
  const plan = ctx.plan;
  const base = new Float64Array(NCOLS);
  const records: string[][] = [];
  for (const index of indices) {
    const d = indexToCoords(index, ctx.radix);
    const w = d[AXIS.workload]!,
      s = d[AXIS.system]!,
      n = d[AXIS.nodes]!,
      pl = d[AXIS.embedding_placement]!;
    const work = ctx.workload(w);
    const score = (parts: NodeParts, out: Float64Array) => {
      const node = buildNodeModel(parts, plan.tco);
      const tiers = buildTierContext(work, node, ctx.nodeCounts[n]!);
      return evaluatePoint(
        out,
        0,
        node,
        work,
        tiers,
        ctx.nodeCounts[n]!,
        ctx.placementOf[pl]!,
        ctx.batchOf[d[AXIS.batch_size]!]!,
        ctx.precisionOf[d[AXIS.precision]!]!,
        ctx.psNodesOf[pl]!,
        ctx.hbmShareOf[pl]!,
        ctx.envOf(w),
        ctx.params,
      );
    };
    const parts = plan.systems[s]!;
    score(parts, base);
    const changed = Object.values(FIGURES).map((scale) => {
      const out = new Float64Array(NCOLS);
      return score(scale(parts, 1 + ELASTICITY_STEP), out) === 0 ? out : null;
    });
    for (const o of plan.objectives) {
      const v0 = objectiveValue(base, 0, o);
      const cells = changed.map((r) => {
        if (r === null || v0 === 0) return "";
        const e = (objectiveValue(r, 0, o) - v0) / Math.abs(v0) / ELASTICITY_STEP;
        return String(Number(e.toPrecision(4)));
      });
      records.push([String(index), plan.workloads[w]!.label, parts.id, o, ...cells]);
    }
  }
  return records;
}
