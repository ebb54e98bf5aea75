// The design space of a plan: its axes by name, the integer point index <-> axis coordinates (mixed radix,
// outermost axis first, last axis fastest), points per workload and the index ranges of shards. The one definition
// the engine, the outputs, `explain` and merge all use.
import { PLACEMENTS, PRECISIONS } from "../schema/vocab.ts";
import type { Plan } from "../spec/plan.ts";

/** The axes, outermost first. A point's index is its coordinates read as a mixed-radix number in this order. */
export const AXES = ["workload", "system", "nodes", "embedding_placement", "batch_size", "precision"] as const;
export type AxisName = (typeof AXES)[number];

/**
 * Position of each axis in a coordinate vector, so code names the axis it reads (`d[AXIS.system]`). A literal with
 * constant fields, which the optimising compiler folds into the hot loop; a test checks it against AXES.
 */
export const AXIS = {
  workload: 0,
  system: 1,
  nodes: 2,
  embedding_placement: 3,
  batch_size: 4,
  precision: 5,
} as const satisfies { readonly [A in AxisName]: number };

/**
 * Axes from this one on (batch size, precision) vary fastest: points sharing every axis before it (workload, system,
 * nodes, placement) form one contiguous block of indices.
 */
export const INNER_AXIS = AXIS.batch_size;

/** Number of values of each axis, outermost first. */
export function radices(plan: Plan): number[] {
  const size: Record<AxisName, number> = {
    workload: plan.workloads.length,
    system: plan.systems.length,
    nodes: plan.nodes.length,
    embedding_placement: plan.placements.length,
    batch_size: plan.batches.length,
    precision: plan.precisions.length,
  };
  return AXES.map((a) => size[a]);
}

const product = (values: readonly number[]) => values.reduce((a, b) => a * b, 1);

/** Points in the design space: the product of every axis's size. */
export function totalPoints(plan: Plan): number {
  return product(radices(plan));
}

/** Points of one workload: the index's outermost digit is `Math.floor(index / pointsPerWorkload)`. */
export function pointsPerWorkload(radix: readonly number[]): number {
  return product(radix.slice(AXIS.workload + 1));
}

/** Points of one block (see INNER_AXIS). */
export function pointsPerBlock(radix: readonly number[]): number {
  return product(radix.slice(INNER_AXIS));
}

/** Values of every axis, concatenated: the width of one workload's row of per-axis bests. */
export function axisValueCount(radix: readonly number[]): number {
  return radix.reduce((a, b) => a + b, 0);
}

/** Offset of each axis's first value in such a row. */
export function axisValueOffsets(radix: readonly number[]): Int32Array {
  const offsets = new Int32Array(radix.length);
  let width = 0;
  radix.forEach((r, k) => {
    offsets[k] = width;
    width += r;
  });
  return offsets;
}

/**
 * Mixed-radix digits of `index`, outermost axis first. An Int32Array: the scoring loop reads coordinates on every
 * point, and a plain array could hold them as doubles or small integers depending on how they were computed, which
 * made the optimised code deoptimise when the two met.
 */
export function indexToCoords(index: number, radix: readonly number[]): Int32Array {
  const coords = new Int32Array(radix.length);
  let rest = index;
  for (let k = radix.length - 1; k >= 0; k--) {
    coords[k] = rest % radix[k]!;
    rest = Math.floor(rest / radix[k]!);
  }
  return coords;
}

/** Moves mixed-radix coordinates to the next index (last axis fastest), in place. */
export function nextCoords(d: Int32Array, radix: readonly number[]): void {
  for (let k = radix.length - 1; k >= 0; k--) {
    if (++d[k]! < radix[k]!) return;
    d[k] = 0;
  }
}

export function coordsToIndex(coords: ArrayLike<number>, radix: readonly number[]): number {
  let index = 0;
  for (let k = 0; k < radix.length; k++) index = index * radix[k]! + coords[k]!;
  return index;
}

/** Index range [start, end) of shard `k` of `n`: consecutive slices that tile [0, total). */
export function shardRange(total: number, k: number, n: number): [number, number] {
  return [Math.floor((total * k) / n), Math.floor((total * (k + 1)) / n)];
}

/** One design point in words: what every output row and `explain` say about its coordinates. */
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
  const d = indexToCoords(index, radices(plan));
  const wl = plan.workloads[d[AXIS.workload]!]!;
  const variant = plan.placements[d[AXIS.embedding_placement]!]!;
  const placement = PLACEMENTS[variant.placement]!;
  return {
    index,
    model: wl.model.id,
    workload: wl.label,
    axes: wl.axes as Record<string, string | number>,
    system: plan.systems[d[AXIS.system]!]!.id,
    nodes: plan.nodes[d[AXIS.nodes]!]!,
    embedding_placement: placement,
    ps_nodes: placement === "remote-ps" ? variant.psNodes : null,
    batch_size: plan.batches[d[AXIS.batch_size]!]!,
    precision: PRECISIONS[plan.precisions[d[AXIS.precision]!]!]!,
  };
}

/**
 * Placement variants as written in outputs: the placement, with its parameter-server count for remote-ps and its
 * HBM share for hbm-cache and hbm-split when training.hbm_cache_share gives one.
 */
export function placementLabels(plan: Plan): string[] {
  return plan.placements.map((v) => {
    const name = PLACEMENTS[v.placement]!;
    if (v.psNodes) return `${name} (${v.psNodes} ps)`;
    return v.hbmShare !== null && v.hbmShare !== undefined ? `${name} (share ${v.hbmShare})` : name;
  });
}

/** Every axis's values as the strings outputs show, outermost axis first (sensitivity.csv's `value` column). */
export function axisValueLabels(plan: Plan): string[][] {
  return [
    plan.workloads.map((w) => w.label),
    plan.systems.map((s) => s.id),
    plan.nodes.map(String),
    placementLabels(plan),
    plan.batches.map(String),
    plan.precisions.map((p) => PRECISIONS[p]!),
  ];
}
