// The size of a spec's design space, computed from the spec itself (lists counted, ranges counted from their
// bounds and steps), before anything is expanded: a spec whose model axes multiply into billions of workloads is
// refused without building them, and a product of node designs (`compose` fields as lists or ranges) is counted
// before it is materialised.
import type { SweepSpec } from "../schema/spec.ts";
import { expandAxis, type AxisSpec } from "./axes.ts";
import { specSystemCount } from "./systems.ts";

/** Sweeps above this many points (100x the bench sweep, minutes of work) need --force. */
export const MAX_POINTS_WITHOUT_FORCE = 1e9;
/** Limits even --force does not lift: workloads are built as objects, and point indices must stay exact. */
export const MAX_WORKLOADS = 100_000;
export const MAX_POINTS = 2 ** 53;

/** Model axes whose values are counts or widths: their ranges expand to integers. */
export const INTEGER_MODEL_AXES: ReadonlySet<string> = new Set(["dense_features", "embedding_dim"]);

/** How many distinct values one axis holds: one axis is expanded (at most 10000 values), never their product. */
export function axisCount(axis: AxisSpec | undefined, integer: boolean, fallback = 1): number {
  if (axis === undefined) return fallback;
  if (Array.isArray(axis)) return new Set(axis).size;
  return expandAxis(axis, integer).length;
}

export interface SpaceSize {
  total: number;
  workloads: number;
  factors: Record<string, number>;
}

/** The design space's size from a schema-valid spec, as the plan will have it. */
export function designSpaceSize(spec: SweepSpec): SpaceSize {
  let workloads = 0;
  for (const m of spec.models) {
    let n = 1;
    for (const [name, axis] of Object.entries(m.sweep ?? {}))
      n *= axisCount(axis as AxisSpec, INTEGER_MODEL_AXES.has(name));
    workloads += n;
  }
  const placements = spec.placements.reduce(
    (a, p) =>
      a +
      (p === "remote-ps"
        ? axisCount(spec.ps_nodes as AxisSpec | undefined, true)
        : p === "hbm-cache" || p === "hbm-split"
          ? axisCount(spec.training.hbm_cache_share as AxisSpec | undefined, false)
          : 1),
    0,
  );
  const factors = {
    workloads,
    // node designs before duplicates are removed: an upper bound when a spec repeats a node
    systems: specSystemCount(spec),
    nodes: axisCount(spec.nodes as AxisSpec, true),
    placements,
    batch_size: axisCount(spec.training.batch_size as AxisSpec, true),
    precision: spec.training.precision?.length ?? 1,
  };
  return { total: Object.values(factors).reduce((a, b) => a * b, 1), workloads, factors };
}

/**
 * Design points of a spec: workloads x node designs (before duplicates are removed: an upper bound when a spec
 * repeats a node) x nodes x placement variants x batch sizes x precisions.
 */
export function specPoints(spec: SweepSpec): number {
  return designSpaceSize(spec).total;
}

/** Why the spec is too large to expand (a message), or undefined. */
export function sizeProblem(spec: SweepSpec, force: boolean): string | undefined {
  const { total, workloads, factors } = designSpaceSize(spec);
  const shown = Object.entries(factors)
    .map(([k, v]) => `${v} ${k}`)
    .join(" x ");
  if (workloads > MAX_WORKLOADS)
    return (
      `models: the model axes give ${workloads} workloads (${shown}) (expected at most ${MAX_WORKLOADS} ` +
      "workloads, even with --force: sweep fewer model axis values)"
    );
  if (total > MAX_POINTS)
    return `the sweep has ${total} points (${shown}) (expected at most 2^53 points, even with --force)`;
  if (total > MAX_POINTS_WITHOUT_FORCE && !force)
    return (
      `the sweep has ${total} points; at about 1e6 points/s that is ~${Math.round(total / 1e6 / 60)} min ` +
      `(expected at most ${MAX_POINTS_WITHOUT_FORCE} points; pass --force to run it anyway)`
    );
  return undefined;
}
