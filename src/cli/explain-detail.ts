// What `recsweep explain` adds for trust: the run's user catalog must be the one given, an infeasible point's
// figures behind its reason (needed vs available per tier), the smallest change along the plan's own axes that
// makes it feasible, and the bytes and effective bandwidth behind the communication terms.
import type { ScoringContext } from "../engine/context.ts";
import { scoreIndexInto } from "../engine/score.ts";
import { InputError } from "../input/errors.ts";
import { NCOLS, type PointDetail } from "../model/result.ts";
import { placementName, precisionName, scorePoint, type ScoredPoint } from "../model/score-point.ts";
import { MEMORY_RESERVE_FRACTION } from "../model/tiers.ts";
import { formatNumber } from "../output/format.ts";
import { AXIS, coordsToIndex, describePoint } from "../space/space.ts";
import type { Plan } from "../spec/plan.ts";

const f = formatNumber;
const gb = (b: number) => `${f(b / 1e9)} GB`;
const gbps = (bytes: number, s: number) => (s > 0 ? `${f(bytes / s / 1e9)} GB/s` : "n/a");

/** Refuses (exit 2) when the run folder's user catalog differs from the one given now. */
export function checkUserCatalog(manifest: { user_catalog_sha256?: string | null }, plan: Plan, dir: string): void {
  if (!("user_catalog_sha256" in manifest)) return; // a run folder of an earlier version: the note below applies
  const ran = manifest.user_catalog_sha256 ?? null,
    now = plan.userCatalogHash;
  if (ran === now) return;
  const what = (h: string | null) => (h ? `the user catalog with sha256 ${h.slice(0, 12)}…` : "no --catalog");
  throw new InputError(
    `explain: ${dir} was run with ${what(ran)}, but this explain has ${what(now)} ` +
      "(expected the same --catalog DIR as the run; its figures would differ)",
  );
}

/** The point at coordinates `d`, scored; with `enforceCapacity` false, its detail says how much memory it needs. */
export function scoreAt(ctx: ScoringContext, d: Int32Array, enforceCapacity = true): ScoredPoint {
  const w = d[AXIS.workload]!,
    s = d[AXIS.system]!,
    n = d[AXIS.nodes]!,
    pl = d[AXIS.embedding_placement]!;
  return scorePoint({
    node: ctx.nodes[s]!,
    workload: ctx.workload(w),
    tiers: ctx.tiers(w, s, n),
    nodes: ctx.nodeCounts[n]!,
    placement: placementName(ctx.placementOf[pl]!),
    psNodes: ctx.psNodesOf[pl]!,
    hbmShare: ctx.hbmShareOf[pl]!,
    batch: ctx.batchOf[d[AXIS.batch_size]!]!,
    precision: precisionName(ctx.precisionOf[d[AXIS.precision]!]!),
    env: enforceCapacity ? ctx.envOf(w) : { ...ctx.envOf(w), enforceCapacity: false },
    params: ctx.params,
  });
}

/** The figures behind an infeasible point's reason: needed vs available for each tier it overflows. */
export function reasonFigures(ctx: ScoringContext, d: Int32Array, reason: string): string[] {
  const node = ctx.nodes[d[AXIS.system]!]!;
  const env = ctx.envOf(d[AXIS.workload]!);
  const usable = 1 - MEMORY_RESERVE_FRACTION;
  const reserve = `${f(100 * MEMORY_RESERVE_FRACTION)}% kept free`;
  const detail: PointDetail | null = scoreAt(ctx, d, false).detail;
  const out: string[] = [];
  if (reason === "hbm-capacity" && detail) {
    const need = detail.onDeviceBytes + detail.mlpStateBytes + detail.activationBytes;
    out.push(
      `  accelerator memory per device: needed ${gb(need)} (tables ${gb(detail.onDeviceBytes)} + MLP state ` +
        `${gb(detail.mlpStateBytes)} + activations ${gb(detail.activationBytes)}), available ` +
        `${gb(node.memBytesPerDevice * usable)} of ${gb(node.memBytesPerDevice)} (${reserve})`,
    );
    // table-wise keeps each table whole on one device (eq. E2, E8): a table larger than a device fits at no node count
    const largest = ctx.workload(d[AXIS.workload]!).maxTableBytes;
    const room = node.memBytesPerDevice * usable - detail.mlpStateBytes - detail.activationBytes;
    if (placementName(ctx.placementOf[d[AXIS.embedding_placement]!]!) === "hbm-table-wise" && largest > room)
      out.push(
        `  the largest table alone needs ${gb(largest)} with its optimizer state: hbm-table-wise keeps each table ` +
          "whole on one device, so no node count fits it (hbm-mixed, hbm-row-wise and hbm-column-wise split tables)",
      );
  }
  if (reason === "host-dram-capacity" && detail) {
    const need = node.isCpuOnly
      ? detail.mlpStateBytes + detail.activationBytes + detail.onHostBytesPerNode
      : detail.onHostBytesPerNode;
    out.push(
      `  host DRAM per node: needed ${gb(need)} (${node.isCpuOnly ? "tables, MLP state, activations" : "tables"}), ` +
        `available ${gb(node.dramBytes * usable)} of ${gb(node.dramBytes)} (${reserve})`,
    );
  }
  if (reason === "host-dram-capacity" && !detail)
    out.push("  no tier of this node has room for the tables (HBM, host DRAM or SSD), eq. E6");
  if (reason === "ps-dram-capacity") {
    const S = ctx.psNodesOf[d[AXIS.embedding_placement]!]!;
    const emb = ctx.workload(d[AXIS.workload]!).embBytes;
    out.push(
      `  parameter-server DRAM per node: needed ${gb(emb / S)} (tables ${gb(emb)} over ${S} servers), ` +
        `available ${gb(env.psNode.dramBytes * usable)} of ${gb(env.psNode.dramBytes)} (${reserve})`,
    );
  }
  if (reason === "no-price") {
    const plan = ctx.plan;
    const basis = plan.cloudBasis ? `cloud rates of ${plan.cloudProvider ?? "the catalog"}` : "capital prices";
    const price = (m: typeof node) => (plan.cloudBasis ? m.cloudUsdPerHour : m.priceUsd);
    if (!Number.isFinite(price(node))) out.push(`  ${node.id} (trainer): no price on the basis ${basis}`);
    const usesPs = ctx.psNodesOf[d[AXIS.embedding_placement]!]! > 0 || plan.readers;
    if (usesPs && !Number.isFinite(price(env.psNode)))
      out.push(`  ${env.psNode.id} (parameter servers, readers): no price on the basis ${basis}`);
  }
  return out;
}

/**
 * The smallest changes along the plan's own axes that make the point feasible, one axis at a time: the fewest
 * nodes of the same system at which it fits, then other placements, precisions, batch sizes and systems.
 */
export function smallestChanges(ctx: ScoringContext, d: Int32Array): string[] {
  const plan = ctx.plan;
  const row = new Float64Array(NCOLS);
  const feasibleAt = (k: number, v: number): number | null => {
    const c = Int32Array.from(d);
    c[k] = v;
    return scoreIndexInto(ctx, c, row, 0) === 0 ? coordsToIndex(c, ctx.radix) : null;
  };
  const out: string[] = [];
  const nodes = plan.nodes.map((n, v) => ({ n, v })).sort((a, b) => a.n - b.n);
  const moreNodes = nodes.find(({ n, v }) => n > plan.nodes[d[AXIS.nodes]!]! && feasibleAt(AXIS.nodes, v) !== null);
  if (moreNodes) {
    const i = feasibleAt(AXIS.nodes, moreNodes.v)!;
    out.push(`fits from ${moreNodes.n} nodes of ${plan.systems[d[AXIS.system]!]!.id} (point ${i})`);
  }
  const other = (k: number, label: (i: number) => string, order?: number[]) => {
    const values = order ?? Array.from({ length: ctx.radix[k]! }, (_, v) => v);
    const found: string[] = [];
    for (const v of values) {
      if (v === d[k]) continue;
      const i = feasibleAt(k, v);
      if (i !== null) found.push(`${label(i)} (point ${i})`);
      if (found.length === 3) break;
    }
    return found;
  };
  const placements = other(AXIS.embedding_placement, (i) => {
    const p = describePoint(plan, i);
    return p.ps_nodes ? `${p.embedding_placement} with ${p.ps_nodes} parameter servers` : p.embedding_placement;
  });
  if (placements.length) out.push(`placement ${placements.join(", ")}`);
  const precisions = other(AXIS.precision, (i) => describePoint(plan, i).precision);
  if (precisions.length) out.push(`precision ${precisions.join(", ")}`);
  const byBatch = plan.batches.map((b, v) => ({ b, v })).sort((x, y) => x.b - y.b);
  const batches = other(
    AXIS.batch_size,
    (i) => `batch ${describePoint(plan, i).batch_size}`,
    byBatch.map((x) => x.v),
  );
  if (batches.length) out.push(batches.join(", "));
  const systems = other(AXIS.system, (i) => `system ${describePoint(plan, i).system}`);
  if (systems.length) out.push(systems.join(", "));
  return out.length
    ? [
        "smallest changes that make it feasible (one axis of this sweep at a time):",
        ...out.map((l, i) => `  ${i ? "or " : ""}${l}`),
      ]
    : ["no single change along this sweep's axes makes it feasible"];
}

/** The bytes and effective bandwidth behind the communication terms (the others' figures are not in the detail). */
export function termFigures(detail: PointDetail): string[] {
  const a2aBytes = 2 * detail.alltoallBytesPerDevice; // forward and backward, eq. T1
  // one line per collective: its bytes, its time before overlap with compute, the bandwidth that implies
  return [
    `  all-to-all: ${gb(a2aBytes)} per device (forward + backward, ${gb(detail.alltoallBytesPerDevice)} each way) ` +
      `in ${f(detail.alltoallS * 1000)} ms before overlap, effective ${gbps(a2aBytes, detail.alltoallS)} per device`,
    `  all-reduce: ${gb(detail.allreduceBytes)} in ${f(detail.allreduceS * 1000)} ms before overlap, ` +
      `effective ${gbps(detail.allreduceBytes, detail.allreduceS)}`,
  ];
}
