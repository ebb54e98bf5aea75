// Per-run figures (time_to_train_h, energy_per_run_kwh, cost_per_run_usd: docs/cost-model.md K3) need the samples
// of one training run: training.samples_to_train, else each model's own samples_per_epoch. This says where neither
// exists, so a user learns why those columns are empty.
import type { ParsedFile } from "../input/read.ts";
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

/** Objectives read from per-run figures (eq. K3), with or without the neg_ prefix. */
const PER_RUN_OBJECTIVES = ["time_to_train_h", "energy_per_run_kwh", "cost_per_run_usd"];

/**
 * An objective that ranks by a per-run figure needs every workload's samples per run: without them the objective is
 * empty for that workload and its frontier meaningless, so the spec is refused, at the objective, naming the models.
 */
export function perRunObjectiveProblems(parsed: ParsedFile, plan: Plan): string[] {
  const models = [...new Set(plan.workloads.filter((_, w) => plan.samplesPerRun[w] === null).map((w) => w.model.id))];
  if (models.length === 0) return [];
  const objectives = ((parsed.data as { objectives?: unknown[] }).objectives ?? []) as unknown[];
  return objectives.flatMap((o, i) =>
    typeof o === "string" && PER_RUN_OBJECTIVES.includes(o.replace(/^neg_/, ""))
      ? [
          `${parsed.where(["objectives", i])}: objectives[${i}]: ${o} needs the samples of one training run, which ` +
            `${models.join(", ")} lack(s) (no samples_per_epoch in the catalog; expected training.samples_to_train, ` +
            "or an objective that is not per run)",
        ]
      : [],
  );
}
