// A model (preset or inline, with swept axis values applied) reduced to per-sample work. Built once per workload.
import { buildSplitPlan, type SplitPlan } from "./mixed.ts";
import type { Model, TableGroup } from "../schema/catalog.ts";
import { BYTES_PER } from "./units.ts";

export interface ModelAxisValues {
  dense_features?: number;
  embedding_dim?: number;
  pooling?: number;
  table_count_scale?: number;
  embedding_total_gb?: number;
  mlp_width_scale?: number;
  zipf_alpha?: number;
  embedding_precision?: string;
}

export interface TableGroupModel {
  count: number;
  rows: number;
  pooling: number;
  dim: number;
  zipf: number;
  /** bytes of one table of this group, rows and optimizer state */
  tableBytes: number;
  /** bytes touched in the table's tier per sample (eq. E0), for one table of the group */
  trafficPerSample: number;
}

export interface WorkloadModel {
  modelId: string;
  /** MLP layers as [input, output] widths, bottom first; bottomLayers of them are the bottom MLP */
  layerIn: number[];
  layerOut: number[];
  bottomLayers: number;
  /**
   * every parameter outside the embedding tables (weights and biases): the MLP layers and, for a DCNv2
   * interaction, its cross layers (eq. C2); their gradients are all-reduced (N2) and their state held (E8)
   */
  denseParams: number;
  /** sums over the bottom and the top MLP's layers of in x out (multiply-adds per row, eq. C1) */
  bottomMacsPerRow: number;
  topMacsPerRow: number;
  /** output widths summed over the bottom MLP's layers and over all layers (activation elements per row, eq. C3, E8) */
  bottomOutElems: number;
  layerOutElems: number;
  /** interaction forward FLOP per sample (eq. C2) */
  interactionFlopPerSample: number;
  tables: number;
  lookupsPerSample: number;
  /** pooled embedding elements per sample (sum over tables of dim), exchanged by all-to-all (eq. N1) */
  pooledElemsPerSample: number;
  /** bytes touched in the embedding tier per sample: forward reads + backward read/write + optimizer state (eq. E0) */
  embTrafficPerSample: number;
  /** the backward's share of that traffic (row reads and writes, optimizer state; eq. E0, F3) */
  embBackwardShare: number;
  /** mean bytes per looked-up row, for gather efficiency (eq. E1) */
  meanRowBytes: number;
  embBytes: number;
  /** bytes of the table weights alone (no optimizer state), at fp32, for dense gradient all-reduce */
  embWeightBytes: number;
  /** largest single table (bytes) and its per-sample traffic, for table-wise balance (eq. E2) */
  maxTableBytes: number;
  maxTableTrafficPerSample: number;
  groups: TableGroupModel[];
  /**
   * group indices, densest first (per-sample traffic per table byte; ties by index): the order eq. E6 fills tiers
   * in
   */
  groupsByDensity: number[];
  /** hbm-mixed's candidate plans: which tables it splits row-wise, largest first (eq. E2m) */
  splitPlan: SplitPlan;
  /** input bytes per sample: dense fp32 values, int32 ids, fp32 label (eq. D1) */
  inputBytesPerSample: number;
  /** dense optimizer state bytes per MLP parameter, from the model's optimizer (eq. E7) */
  denseStateBytesPerParam: number;
}

/** optimizer state bytes per row of `dim` fp32 elements */
export function optimizerStateBytesPerRow(optimizer: string, dim: number): number {
  switch (optimizer) {
    case "adagrad":
      return dim * 4;
    case "rowwise-adagrad":
      return 4;
    case "adam":
      return dim * 8;
    default:
      return 0;
  }
}

/** eq. E7: dense optimizer state bytes per MLP parameter: 0 (SGD), 4 (Adagrad and others), 8 (Adam). */
export function denseStateBytesPerParam(optimizer: string): number {
  return optimizer === "adam" ? 8 : optimizer === "sgd" ? 0 : 4;
}

/** eq. E7: bytes of MLP state per device: fp32 weights and gradients plus dense optimizer state. */
export function mlpStateBytes(w: WorkloadModel): number {
  return w.denseParams * (8 + w.denseStateBytesPerParam);
}

/**
 * Table counts scaled by `scale` so the total is max(1, round(total x scale)), shared among the groups by the
 * largest-remainder method (ties to the earlier group): halving 26 one-table groups keeps 13 of them.
 */
export function scaleCounts(counts: readonly number[], scale: number): number[] {
  if (scale === 1) return counts.slice();
  const exact = counts.map((c) => c * scale);
  const out = exact.map(Math.floor);
  const target = Math.max(1, Math.round(counts.reduce((a, b) => a + b, 0) * scale));
  const order = exact.map((_, i) => i).sort((a, b) => exact[b]! - out[b]! - (exact[a]! - out[a]!) || a - b);
  for (let k = 0; out.reduce((a, b) => a + b, 0) < target; k++) out[order[k % order.length]!]! += 1;
  return out;
}

/**
 * Rows of a table given by size: max(1, round(sizeGb x 1e9 / (dim x bytesPerElement))), the weights alone (no
 * optimizer state) at the workload's embedding precision. Example: 1 GB at dim 128, fp32 -> 1,953,125 rows.
 */
export function rowsOfSize(sizeGb: number, dim: number, bytesPerElement: number): number {
  return Math.max(1, Math.round((sizeGb * 1e9) / (dim * bytesPerElement)));
}

export function buildWorkload(model: Model, axes: ModelAxisValues): WorkloadModel {
  const dim = axes.embedding_dim ?? model.embedding_dim;
  const embPrecision = axes.embedding_precision ?? "fp32";
  const s = BYTES_PER[embPrecision] ?? 4;
  const widthScale = axes.mlp_width_scale ?? 1;
  const scaleWidth = (w: number) => Math.max(1, Math.round(w * widthScale));
  const counts = scaleCounts(
    model.tables.map((g) => g.count),
    axes.table_count_scale ?? 1,
  );
  let groups: Array<TableGroup & { dim: number; rows: number }> = model.tables
    .map((g, i) => ({
      ...g,
      rows: g.rows ?? rowsOfSize(g.size_gb ?? 0, axes.embedding_dim ?? g.dim ?? dim, s),
      dim: axes.embedding_dim ?? g.dim ?? dim,
      count: counts[i]!,
      pooling: axes.pooling ?? g.pooling,
      zipf_alpha: axes.zipf_alpha ?? g.zipf_alpha,
    }))
    .filter((g) => g.count > 0);
  if (axes.embedding_total_gb !== undefined) {
    const current = groups.reduce((a, g) => a + g.count * g.rows * g.dim * s, 0);
    const k = (axes.embedding_total_gb * 1e9) / current;
    groups = groups.map((g) => ({ ...g, rows: Math.max(1, Math.round(g.rows * k)) }));
  }
  const T = groups.reduce((a, g) => a + g.count, 0);
  const denseIn = axes.dense_features ?? model.dense_features;
  const bottom = model.bottom_mlp.map(scaleWidth);
  const bottomOut = bottom.length ? bottom[bottom.length - 1]! : denseIn;
  const pooledElems = groups.reduce((a, g) => a + g.count * g.dim, 0);
  const meanDim = pooledElems / T;
  // Top MLP input width by interaction kind (docs/cost-model.md C2).
  let topIn: number;
  let interactionFlop: number;
  // eq. C2: a DCNv2 cross layer x_{l+1} = x_0 (W x_l + b) + x_l has W (d x d), or U V (d x r, r x d) at rank r
  let crossParams = 0;
  const kind = model.interaction.kind;
  if (kind === "dot") {
    topIn = bottomOut + (T * (T + 1)) / 2;
    interactionFlop = 2 * (T + 1) * (T + 1) * meanDim;
  } else {
    const d = bottomOut + pooledElems;
    topIn = d;
    if (kind === "dcnv2") {
      const layers = model.interaction.cross_layers ?? 3;
      const r = model.interaction.low_rank;
      interactionFlop = layers * (r ? 4 * d * r : 2 * d * d);
      crossParams = layers * ((r ? 2 * d * r : d * d) + d);
    } else interactionFlop = 0;
  }
  const top = model.top_mlp.map((w, i) => (i === model.top_mlp.length - 1 ? w : scaleWidth(w)));
  const layerIn: number[] = [],
    layerOut: number[] = [];
  let prev = denseIn;
  for (const w of bottom) {
    layerIn.push(prev);
    layerOut.push(w);
    prev = w;
  }
  prev = Math.round(topIn);
  for (const w of top) {
    layerIn.push(prev);
    layerOut.push(w);
    prev = w;
  }
  const denseParams = layerIn.reduce((a, inW, i) => a + inW * layerOut[i]! + layerOut[i]!, 0) + crossParams;
  const macs = (from: number, to: number) =>
    layerIn.slice(from, to).reduce((a, inW, i) => a + inW * layerOut[from + i]!, 0);
  const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);

  let weightBytes = 0,
    lookups = 0,
    traffic = 0,
    lookupBytes = 0,
    embBytes = 0,
    maxTableBytes = 0,
    maxTableTraffic = 0;
  const groupModels: TableGroupModel[] = groups.map((g) => {
    const rowBytes = g.dim * s;
    const state = optimizerStateBytesPerRow(model.optimizer, g.dim);
    // eq. E0: per lookup, forward reads the row; backward reads and writes it and its optimizer state.
    const perLookup = 3 * rowBytes + 2 * state;
    const tableBytes = g.rows * (rowBytes + state);
    const trafficPerSample = g.pooling * perLookup;
    lookups += g.count * g.pooling;
    lookupBytes += g.count * g.pooling * rowBytes;
    traffic += g.count * trafficPerSample;
    embBytes += g.count * tableBytes;
    weightBytes += g.count * g.rows * g.dim * 4;
    if (tableBytes > maxTableBytes) maxTableBytes = tableBytes;
    if (trafficPerSample > maxTableTraffic) maxTableTraffic = trafficPerSample;
    return {
      count: g.count,
      rows: g.rows,
      pooling: g.pooling,
      dim: g.dim,
      zipf: g.zipf_alpha,
      tableBytes,
      trafficPerSample,
    };
  });
  return {
    modelId: model.id,
    layerIn,
    layerOut,
    bottomLayers: bottom.length,
    bottomMacsPerRow: macs(0, bottom.length),
    topMacsPerRow: macs(bottom.length, layerIn.length),
    bottomOutElems: sum(layerOut.slice(0, bottom.length)),
    layerOutElems: sum(layerOut),
    denseParams,
    interactionFlopPerSample: interactionFlop,
    tables: T,
    lookupsPerSample: lookups,
    pooledElemsPerSample: pooledElems,
    embTrafficPerSample: traffic,
    embBackwardShare: traffic > 0 ? 1 - lookupBytes / traffic : 0,
    meanRowBytes: lookupBytes / lookups,
    embBytes,
    embWeightBytes: weightBytes,
    maxTableBytes,
    maxTableTrafficPerSample: maxTableTraffic,
    groups: groupModels,
    groupsByDensity: densestFirst(groupModels),
    splitPlan: buildSplitPlan(groupModels),
    inputBytesPerSample: denseIn * 4 + lookups * 4 + 4,
    denseStateBytesPerParam: denseStateBytesPerParam(model.optimizer),
  };
}

/** Group indices by lookups per byte, densest first, ties by index (eq. E6's fill order). */
function densestFirst(groups: readonly TableGroupModel[]): number[] {
  const density = (i: number) => groups[i]!.trafficPerSample / groups[i]!.tableBytes;
  return groups.map((_, i) => i).sort((a, b) => density(b) - density(a) || a - b);
}
