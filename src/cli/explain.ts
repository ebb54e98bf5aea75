// recsweep explain DIR INDEX: one design point of a run, its configuration, full time/power/cost breakdown, and
// why it is or is not on the frontier.
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { buildScoringContext } from "../engine/context.ts";
import { objectiveValueOfRecord } from "../frontier/objectives.ts";
import { dominates } from "../frontier/pareto.ts";
import { InputError } from "../input/errors.ts";
import { readTextFile } from "../input/read.ts";
import { BOTTLENECKS, INFEASIBLE_REASONS, REASON_TEXT } from "../model/result.ts";
import type { ScoredPoint } from "../model/score-point.ts";
import { formatNumber } from "../output/format.ts";
import { readRunJson } from "../output/run-files.ts";
import { objectiveColumnName, type Objective } from "../schema/vocab.ts";
import { AXIS, describePoint, indexToCoords, totalPoints } from "../space/space.ts";
import { loadSpec } from "../spec/resolve.ts";
import { parse } from "./args.ts";
import { uncertaintyLines } from "./explain-uncertainty.ts";
import { checkUserCatalog, reasonFigures, scoreAt, smallestChanges, termFigures } from "./explain-detail.ts";

export const EXPLAIN_USAGE = `usage: recsweep explain DIR INDEX [--catalog DIR]

Prints design point INDEX (the index column of points.csv / frontier.csv; infeasible points' indices are in
infeasible-by-system.csv) of the run folder DIR: its configuration, the full time, power and cost breakdown,
and why it is or is not on the frontier; for an infeasible point, the figures behind its reason and the smallest
changes along the sweep's axes that make it feasible. Give the --catalog DIR the run used (exit 2 otherwise).`;

const f = formatNumber;

/** The run folder's manifest and spec, validated and matched to each other: anything else is a user error. */
function readExplainedRun(dir: string, catalogDir: string | undefined) {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    /* missing */
  }
  if (!isDir) throw new InputError(`${dir}: no such folder (expected a run folder written by recsweep run)`);
  for (const f of ["manifest.json", "spec.json", "frontier.csv"]) {
    if (!existsSync(join(dir, f)))
      throw new InputError(`${dir}: no ${f} (expected a run folder written by recsweep run)`);
  }
  const manifest = readRunJson(join(dir, "manifest.json"), "manifest") as {
    spec_name: string;
    spec_sha256: string;
    catalog_sha256: string;
    fit_sha256: string;
    points_total: number;
  };
  const userCatalog = (manifest as { user_catalog_sha256?: unknown }).user_catalog_sha256;
  // its spec may name parts of that catalog: say what is missing before the spec fails on an unknown id
  if (typeof userCatalog === "string" && catalogDir === undefined)
    throw new InputError(
      `explain: ${dir} was run with a user catalog (sha256 ${userCatalog.slice(0, 12)}…) (expected the same ` +
        "--catalog DIR as the run)",
    );
  const { plan } = loadSpec(join(dir, "spec.json"), catalogDir, { force: true });
  if (
    plan.spec.name !== manifest.spec_name ||
    plan.specHash !== manifest.spec_sha256 ||
    totalPoints(plan) !== manifest.points_total
  ) {
    throw new InputError(
      `${join(dir, "spec.json")}: is not the spec this run folder's manifest.json describes (spec ` +
        `'${plan.spec.name}' vs '${manifest.spec_name}'; expected the spec.json recsweep wrote with the manifest: ` +
        "rerun the spec to rebuild the folder)",
    );
  }
  return { plan, manifest };
}

function readFrontier(file: string): Array<Record<string, string>> {
  try {
    return parseCsv(readTextFile(file, 1024 * 1024 * 1024, { expected: "the frontier.csv recsweep writes" }), {
      columns: true,
    }) as Array<Record<string, string>>;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(
      `${file}: not valid CSV (${(e as Error).message.split("\n")[0]}; expected the frontier.csv recsweep writes)`,
    );
  }
}
const ms = (s: number) => `${f(s * 1000)} ms`;
const gb = (b: number) => `${f(b / 1e9)} GB`;

export async function explainCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { catalog: { type: "string" } }, EXPLAIN_USAGE);
  if (values.help) {
    console.log(EXPLAIN_USAGE);
    return 0;
  }
  if (positionals.length !== 2)
    throw new InputError(`explain: expected a run folder and a point index\n\n${EXPLAIN_USAGE}`);
  const indexText = positionals[1]!;
  if (!/^\d{1,16}$/.test(indexText))
    throw new InputError(
      `explain: index '${indexText}' is not a point index (expected a whole number such as 0 or 17: ` +
        "the index column of points.csv or frontier.csv)",
    );
  const dir = resolve(positionals[0]!);
  const { plan, manifest } = readExplainedRun(dir, values.catalog);
  checkUserCatalog(manifest as { user_catalog_sha256?: string | null }, plan, dir);
  const total = totalPoints(plan);
  const index = Number(indexText);
  if (index >= total)
    throw new InputError(`explain: index '${indexText}' (expected an integer from 0 to ${total - 1})`);
  const ctx = buildScoringContext(plan);
  const d = indexToCoords(index, ctx.radix);
  const p = describePoint(plan, index);
  const workloadModel = plan.workloads[d[AXIS.workload]!]!.model;
  const point = scoreAt(ctx, d);
  const detail = point.detail;
  const out: string[] = [];
  if (manifest.catalog_sha256 !== plan.catalogHash || manifest.fit_sha256 !== plan.fitHash)
    out.push("note: the catalog or fit differs from the one this run used; figures below use the current ones");
  out.push(`point ${index} of ${plan.spec.name}`);
  out.push(`  workload   ${p.workload}`);
  out.push(
    `  system     ${p.system} x ${p.nodes} node(s)   placement ` +
      `${p.embedding_placement}${p.ps_nodes ? ` with ${p.ps_nodes} parameter server${plural(p.ps_nodes)}` : ""}` +
      (p.embedding_placement === "auto" && point.placement_resolved !== "auto"
        ? ` (resolved to ${point.placement_resolved}, docs/cost-model.md E6)`
        : "") +
      // the share only where a placement holds one (hbm-cache, hbm-split), not a 0 of a point refused earlier
      (Number.isFinite(point.hbm_cache_share) && point.hbm_cache_share > 0
        ? `, HBM share ${f(point.hbm_cache_share)} of the tables`
        : ""),
  );
  // unknown when rejected before it is computed
  const perDevice = detail ? ` (${f(detail.localBatch)} per device)` : "";
  out.push(`  training   global batch ${p.batch_size}${perDevice}, ${p.precision}, software stack ${plan.software}`);
  const refused = ctx.refused[d[AXIS.system]!]!;
  if (refused !== 0) {
    // a composed node that cannot be built (spec/buildable.ts): every point of it is refused before scoring
    const reason = INFEASIBLE_REASONS[refused]!;
    out.push(`infeasible: ${reason}: ${REASON_TEXT[reason] ?? ""} (node ${p.system})`);
    console.log(out.join("\n"));
    return 0;
  }
  if (!point.feasible || !detail) {
    const reason = point.reason ?? "";
    out.push(`infeasible: ${reason}: ${REASON_TEXT[reason] ?? ""}`);
    if (detail) {
      out.push(
        `  memory per device: tables ${gb(detail.onDeviceBytes)}, MLP state ${gb(detail.mlpStateBytes)}, ` +
          `activations ${gb(detail.activationBytes)}`,
      );
    }
    out.push(...reasonFigures(ctx, d, reason), ...smallestChanges(ctx, d));
    console.log(out.join("\n"));
    return 0;
  }
  out.push(
    `throughput ${f(point.throughput_samples_per_s)} samples/s, ${ms(point.time.iteration_s)} per iteration, ` +
      `bound by ${point.bottleneck}`,
  );
  out.push(...uncertaintyLines(ctx, d, point));
  out.push("time line (critical path):");
  BOTTLENECKS.forEach((t) => out.push(`  ${t.padEnd(10)} ${ms(point.time[`${t}_s`]).padStart(14)}`));
  out.push(...termFigures(detail));
  if (Number.isFinite(detail.cacheHitRate)) out.push(`  cache hit rate ${f(100 * detail.cacheHitRate)}%`);
  out.push(
    `memory per device: tables ${gb(detail.onDeviceBytes)}, MLP state ${gb(detail.mlpStateBytes)}, activations ` +
      `${gb(detail.activationBytes)}; host DRAM per node: tables ${gb(detail.onHostBytesPerNode)}`,
  );
  out.push(`power: ${f(point.power_w)} W for the job (IT ${f(detail.itW)} W x PUE ${detail.pue})`);
  out.push(
    `  per trainer node ${f(detail.trainerNodeW)} W: accelerators ${f(detail.acceleratorW)}, CPUs ${f(detail.cpuW)}, ` +
      `DRAM ${f(detail.dramW)}, NICs ${f(detail.nicW)}, SSDs ${f(detail.ssdW)}, chassis ${f(detail.chassisW)}`,
  );
  out.push(
    `  parameter servers ${f(detail.psNodesW)} W, readers ${f(detail.readerNodesW)} W (${point.reader_nodes} nodes), ` +
      `switches ${f(detail.switchW)} W`,
  );
  out.push(
    plan.cloudBasis
      ? `cost: ${f(point.cost_usd_per_hour)} USD/h (cloud rates)`
      : `cost: ${f(point.cost_usd_per_hour)} USD/h = capital ${f(detail.capitalUsdPerHour)} + energy ` +
          `${f(detail.energyUsdPerHour)}`,
  );
  const perRun = Number.isFinite(point.time_to_train_h)
    ? `; per run ${f(point.time_to_train_h)} h, ${f(point.energy_per_run_kwh)} kWh, ${f(point.cost_per_run_usd)} USD`
    : `; per run: not computed (${workloadModel.id} has no samples_per_epoch; set training.samples_to_train)`;
  out.push(`efficiency: ${f(point.samples_per_joule)} samples/J, ${f(point.samples_per_usd)} samples/USD${perRun}`);
  // Frontier status, against the run's frontier.csv.
  const frontier = readFrontier(join(dir, "frontier.csv"));
  const mine = new Float64Array(plan.objectives.map((o) => objectiveOf(point, o)));
  // frontier.csv writes points with identical results as one row (equivalent_indices lists the others)
  const listed = (r: Record<string, string>, column: string) => (r[column] ? r[column].split(" ").map(Number) : []);
  const row = frontier.find((r) => Number(r.index) === index || listed(r, "equivalent_indices").includes(index));
  if (row) {
    out.push(
      `on the frontier of ${p.workload}: no feasible point of this workload is at least as good on every objective ` +
        `(${plan.objectives.join(", ")}) and better on one`,
    );
    if (Number(row.index) !== index)
      out.push(`  identical results to point ${row.index} (frontier.csv writes them as one row)`);
    const ties = listed(row, "near_tie");
    if (ties.length)
      out.push(
        `  near-tie of point(s) ${ties.join(", ")}: at least as good on every objective up to the model's ` +
          "resolution (frontier.csv near_tie; docs/calibration.md)",
      );
  } else {
    const value = objectiveValueOfRecord;
    const by = frontier.find(
      (r) => r.workload === p.workload && dominates(new Float64Array(plan.objectives.map((o) => value(r, o))), mine),
    );
    out.push(
      by
        ? `not on the frontier: point ${by.index} (${by.system} x ${by.nodes}, ${by.embedding_placement}, ` +
            `batch ${by.batch_size}, ${by.precision}) is at least as good on every objective and better on one: ` +
            plan.objectives.map((o) => `${o} ${f(value(by, o))} vs ${f(objectiveOf(point, o))}`).join(", ")
        : "not on the frontier (dominated by a point the rounded frontier.csv cannot show)",
    );
  }
  console.log(out.join("\n"));
  return 0;
}

/** An objective's value for a scored point: every objective is maximised; "neg_x" is -x. */
function objectiveOf(point: ScoredPoint, objective: Objective): number {
  const { column, sign } = objectiveColumnName(objective);
  return sign * point[column as ObjectiveFigure];
}
type Figure<O> = O extends `neg_${infer F}` ? F : O;
type ObjectiveFigure = Figure<Objective>;

/** "s" after a count other than 1. */
const plural = (n: number) => (n === 1 ? "" : "s");
