// The size of a spec's design space, computed from the spec itself before anything is expanded or built, so the size
// limit (`run --force`) is checked before a huge product of node designs is materialised.
import type { SweepSpec } from "../schema/spec.ts";
import { DEFAULT_PRECISIONS } from "../schema/vocab.ts";
import { expandAxis, type AxisSpec } from "./axes.ts";
import { specSystemCount } from "./systems.ts";

const INTEGER_AXES = new Set(["dense_features", "embedding_dim"]);

/** Workloads of the spec: per model, the product of its swept axes' lengths. */
export function specWorkloadCount(spec: Pick<SweepSpec, "models">): number {
  return spec.models.reduce((n, m) => {
    let k = 1;
    for (const [axis, v] of Object.entries(m.sweep ?? {})) {
      if (v === undefined) continue;
      const raw = axis === "zipf_alpha" || axis === "embedding_precision"; // taken as written (spec/resolve.ts)
      k *= raw ? (v as unknown[]).length : expandAxis(v as AxisSpec, INTEGER_AXES.has(axis)).length;
    }
    return n + k;
  }, 0);
}

/**
 * Design points of a spec: workloads x node designs (before duplicates are removed: an upper bound when a spec
 * repeats a node) x nodes x placement variants x batch sizes x precisions.
 */
export function specPoints(spec: SweepSpec): number {
  const psVariants = spec.ps_nodes ? expandAxis(spec.ps_nodes as AxisSpec, true).length : 1;
  const placements = spec.placements.reduce((n, p) => n + (p === "remote-ps" ? psVariants : 1), 0);
  return (
    specWorkloadCount(spec) *
    specSystemCount(spec) *
    expandAxis(spec.nodes as AxisSpec, true).length *
    placements *
    expandAxis(spec.training.batch_size as AxisSpec, true).length *
    (spec.training.precision ?? DEFAULT_PRECISIONS).length
  );
}
