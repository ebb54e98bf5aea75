// manifest.json: what a run folder holds (inputs' hashes, axes, counts), identical bytes for identical inputs.
import type { SweepResult } from "../frontier/merge.ts";
import { INFEASIBLE_REASONS } from "../model/result.ts";
import { TOOL_VERSION } from "../paths.ts";
import { PRECISIONS } from "../schema/vocab.ts";
import { placementLabels, totalPoints } from "../space/space.ts";
import { perRunGap } from "../spec/per-run.ts";
import type { Plan } from "../spec/plan.ts";
import { workloadSizes } from "../spec/model-size.ts";

/** The input hashes a manifest or checkpoint records: the same sweep only if spec, catalog and fit all match. */
export interface InputHashes {
  spec_sha256: string;
  catalog_sha256: string;
  fit_sha256: string;
}

export const inputHashes = (plan: Plan): InputHashes => ({
  spec_sha256: plan.specHash,
  catalog_sha256: plan.catalogHash,
  fit_sha256: plan.fitHash,
});

export const sameInputs = (h: InputHashes, plan: Plan) =>
  h.spec_sha256 === plan.specHash && h.catalog_sha256 === plan.catalogHash && h.fit_sha256 === plan.fitHash;

export function manifestOf(plan: Plan, result: SweepResult, range: [number, number], shard?: { k: number; n: number }) {
  const feasible = result.reasonCounts[0]!;
  const infeasible: Record<string, number> = {};
  INFEASIBLE_REASONS.forEach((r, i) => {
    if (i > 0 && result.reasonCounts[i]! > 0) infeasible[r] = result.reasonCounts[i]!;
  });
  return {
    tool: "recsweep",
    tool_version: TOOL_VERSION,
    spec_name: plan.spec.name,
    ...inputHashes(plan),
    user_catalog_sha256: plan.userCatalogHash,
    objectives: plan.objectives,
    axes: {
      workloads: plan.workloads.map((w) => w.label),
      systems: plan.systems.map((s) => s.id),
      nodes: plan.nodes,
      placements: placementLabels(plan),
      batch_size: plan.batches,
      precision: plan.precisions.map((p) => PRECISIONS[p]!),
    },
    points_total: totalPoints(plan),
    ...(shard ? { shard: { index: shard.k, count: shard.n, start: range[0], end: range[1] } } : {}),
    points_scored: result.pointsScored,
    feasible,
    infeasible,
    frontier_size: result.frontier.length,
    points_csv: plan.writePoints,
    cost_basis: plan.cloudBasis ? "cloud" : "capital",
    ...(perRunGap(plan) ? { per_run_figures: perRunGap(plan) } : {}),
    ...(plan.cloudProvider ? { cloud_provider: plan.cloudProvider } : {}),
    ...(plan.catalogOverrides.length ? { catalog_overrides: plan.catalogOverrides } : {}),
    ...(plan.catalogReplaced.length ? { catalog_replaced: plan.catalogReplaced } : {}),
    workload_sizes: workloadSizes(plan),
  };
}
