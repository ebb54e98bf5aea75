// recsweep check <spec>: validates a spec and everything it references; writes nothing.
import { InputError } from "../input/errors.ts";
import { unpricedSystems } from "../spec/cloud.ts";
import { perRunGap } from "../spec/per-run.ts";
import { workloadSizeLines, workloadSizes } from "../spec/model-size.ts";
import { loadSpec } from "../spec/resolve.ts";
import { totalPoints } from "../space/space.ts";
import { MAX_POINTS_WITHOUT_FORCE } from "../spec/size.ts";
import { parse } from "./args.ts";
import { overrideLines, warningLines } from "./catalog-notes.ts";

export const CHECK_USAGE = `usage: recsweep check <spec> [--catalog DIR]

Validates the spec against schemas/sweep.schema.json and checks every catalog id it names; lists the systems
without a price on the spec's cost basis (cost.basis, cost.cloud_provider), the figures a --catalog file overrides,
and warnings for catalog figures out of any real part's range (hardware/README.md). Writes nothing.
Exit code 0 when valid, 2 with every problem listed as file:line:col when not.`;

export async function checkCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { catalog: { type: "string" } }, CHECK_USAGE);
  if (values.help) {
    console.log(CHECK_USAGE);
    return 0;
  }
  if (positionals.length !== 1)
    throw new InputError(`check: expected one spec file, got ${positionals.length}\n\n${CHECK_USAGE}`);
  const { plan, catalog, parsed } = loadSpec(positionals[0]!, values.catalog, { force: true });
  console.log(
    `${positionals[0]}: ok (${totalPoints(plan)} design points: ${plan.workloads.length} workloads x ` +
      `${plan.systems.length} systems x ${plan.nodes.length} node counts x ${plan.placements.length} placement ` +
      `variants x ${plan.batches.length} batch sizes x ${plan.precisions.length} precisions)`,
  );
  console.log("model sizes (embedding weights at their precision; dense = MLP and DCNv2 cross-layer parameters):");
  for (const line of workloadSizeLines(workloadSizes(plan))) console.log(line);
  if (totalPoints(plan) > MAX_POINTS_WITHOUT_FORCE)
    console.log(`note: more than ${MAX_POINTS_WITHOUT_FORCE} points: recsweep run needs --force for this sweep`);
  const basis = plan.cloudBasis ? `cloud rates of ${plan.cloudProvider ?? "the catalog"}` : "capital (price + energy)";
  console.log(`cost basis: ${basis}`);
  const unpriced = unpricedSystems(plan);
  for (const u of unpriced)
    console.log(
      `  no price on this basis: ${u.id} (${u.role}); ` +
        `${u.role === "trainer" ? "its points" : "points that use it"} will be infeasible (no-price)`,
    );
  if (unpriced.length === 0) console.log("  every system has a price on this basis");
  for (const line of overrideLines(catalog)) console.log(line);
  for (const note of plan.notes ?? []) console.log(`note: ${note}`);
  const warnings = warningLines(catalog, parsed);
  console.log(
    warnings.length
      ? `plausibility: ${warnings.length} figure(s) out of any real part's range`
      : "plausibility: every catalog and composed figure within the range of real parts",
  );
  for (const line of warnings) console.log(line);
  const gap = perRunGap(plan);
  if (gap) console.log(gap);
  return 0;
}
