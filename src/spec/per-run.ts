// Per-run figures (time_to_train_h, energy_per_run_kwh, cost_per_run_usd: docs/cost-model.md K3) need the samples
// of one training run: training.samples_to_train, else each model's own samples_per_epoch. This says where neither
// exists, so a user learns why those columns are empty.
import type { Plan } from "./plan.ts";

/** The models whose workloads have no samples per run, and what would give them some; null: every one has them. */
export function perRunGap(plan: Plan): string | null {
  const models = [...new Set(plan.workloads.filter((_, w) => plan.samplesPerRun[w] === null).map((w) => w.model.id))];
  if (models.length === 0) return null;
  return (
    `per-run figures (time_to_train_h, energy_per_run_kwh, cost_per_run_usd) cannot be computed for ` +
    `${models.join(", ")}: no samples_per_epoch in the catalog; set training.samples_to_train`
  );
}
