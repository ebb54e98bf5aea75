// How scored points become CSV rows: column names with units, fixed number formatting for stable bytes.
import { BOTTLENECKS, C, COLUMNS, INFEASIBLE_REASONS, NCOLS } from "../model/result.ts";
import { PLACEMENTS, PRECISIONS } from "../schema/vocab.ts";
import { indexToCoords } from "../engine/score.ts";
import type { Plan } from "../spec/plan.ts";
import { radices } from "../spec/plan.ts";

/** Result columns as written: every model column except the internal infeasible code. */
const RESULT_COLUMNS = COLUMNS.filter((c) => c !== "infeasible");

export function pointHeader(plan: Plan): string[] {
  return ["index", "model", "workload", ...plan.modelAxisNames, "system", "nodes", "embedding_placement", "ps_nodes", "batch_size", "precision", ...RESULT_COLUMNS];
}

/** Six significant digits; integers as written; non-finite values as empty fields. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return "";
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  return String(Number(v.toPrecision(6)));
}

export interface PointDescription {
  index: number;
  model: string;
  workload: string;
  axes: Record<string, string | number>;
  system: string;
  nodes: number;
  embedding_placement: string;
  ps_nodes: number | null;
  batch_size: number;
  precision: string;
}

export function describePoint(plan: Plan, index: number): PointDescription {
  const [w, s, n, pl, b, pr] = [...indexToCoords(index, radices(plan))] as [number, number, number, number, number, number];
  const wl = plan.workloads[w]!;
  const variant = plan.placements[pl]!;
  const placement = PLACEMENTS[variant.placement]!;
  return {
    index,
    model: wl.model.id,
    workload: wl.label,
    axes: wl.axes as Record<string, string | number>,
    system: plan.systems[s]!.id,
    nodes: plan.nodes[n]!,
    embedding_placement: placement,
    ps_nodes: placement === "remote-ps" ? variant.psNodes : null,
    batch_size: plan.batches[b]!,
    precision: PRECISIONS[plan.precisions[pr]!]!,
  };
}

export function pointRecord(plan: Plan, index: number, rows: Float64Array, r: number): string[] {
  const d = describePoint(plan, index);
  const o = r * NCOLS;
  const out = [String(index), d.model, d.workload];
  for (const a of plan.modelAxisNames) out.push(d.axes[a] === undefined ? "" : String(d.axes[a]));
  out.push(d.system, String(d.nodes), d.embedding_placement, d.ps_nodes === null ? "" : String(d.ps_nodes), String(d.batch_size), d.precision);
  for (const c of RESULT_COLUMNS) {
    const v = rows[o + C[c]]!;
    out.push(c === "bottleneck" ? BOTTLENECKS[v]! : formatNumber(v));
  }
  return out;
}

export function reasonName(code: number): string {
  return INFEASIBLE_REASONS[code]!;
}
