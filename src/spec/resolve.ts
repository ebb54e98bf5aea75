// Loads a sweep spec, validates it and every catalog id it names, and resolves it into a Plan.
import { createHash } from "node:crypto";
import { basename } from "node:path";
import { canonical, loadCatalog, systemReferenceProblems, type Catalog } from "../catalog/load.ts";
import { DEFAULT_PS_SYSTEM, systemParts } from "../catalog/systems.ts";
import { loadFit, type LoadedFit } from "../fit/load.ts";
import { InputError } from "../input/errors.ts";
import { readYamlFile, type ParsedFile } from "../input/read.ts";
import { validateAgainst } from "../input/validate.ts";
import { DEFAULT_SOFTWARE } from "../model/params.ts";
import type { ModelAxisValues } from "../model/workload.ts";
import type { Model, System } from "../schema/catalog.ts";
import { DEFAULT_PRECISIONS, OBJECTIVES, PLACEMENTS, PRECISIONS, type Objective } from "../schema/vocab.ts";
import type { ModelAxes, SweepSpec } from "../schema/spec.ts";
import { axisProblem, expandAxis, type AxisSpec } from "./axes.ts";
import { composeHasAxes } from "./compose.ts";
import { specPoints } from "./size.ts";
import { composeListProblems, planSystems } from "./systems.ts";
import type { Plan, WorkloadChoice } from "./plan.ts";

export const DEFAULT_PS_NODES = 2;
export const DEFAULT_OBJECTIVES: Objective[] = ["samples_per_joule", "samples_per_usd"];
/** Model axes whose values are counts or widths: their ranges expand to integers. */
const INTEGER_MODEL_AXES = new Set(["dense_features", "embedding_dim"]);

export interface Loaded {
  plan: Plan;
  catalog: Catalog;
  parsed: ParsedFile;
}

export interface LoadOptions {
  /** refuse specs of more design points than this, counted before node designs are expanded (run --force) */
  maxPoints?: number;
}

export function loadSpec(specFile: string, catalogDir?: string, opts: LoadOptions = {}): Loaded {
  const parsed = readYamlFile(specFile);
  const fit = loadFit();
  const schemaProblems = validateAgainst("sweep", parsed);
  if (schemaProblems.length) {
    // Still report dangling ids alongside schema errors, so one run shows every problem.
    let refProblems: string[] = [];
    try {
      refProblems = referenceProblems(parsed, loadCatalog(catalogDir), fit);
    } catch {
      /* catalog errors surface on their own */
    }
    throw new InputError([...schemaProblems, ...refProblems]);
  }
  const catalog = loadCatalog(catalogDir);
  const problems = referenceProblems(parsed, catalog, fit);
  if (problems.length) throw new InputError(problems);
  const points = specPoints(parsed.data as SweepSpec);
  if (opts.maxPoints !== undefined && points > opts.maxPoints)
    throw new InputError(
      `${specFile}: the sweep has ${points} points (expected at most ${opts.maxPoints} points; ` +
        "pass --force to run it anyway)",
    );
  return { plan: resolve(parsed, catalog, fit), catalog, parsed };
}

/** Dangling ids, impossible ranges and composed nodes that reference missing parts. Tolerant of schema errors. */
function referenceProblems(parsed: ParsedFile, cat: Catalog, fit: LoadedFit): string[] {
  const spec = parsed.data as Record<string, unknown>;
  const out: string[] = [];
  const known = (kind: string, map: Map<string, unknown>) =>
    `(expected one of the catalog's ${kind}: ${[...map.keys()].sort().join(", ")})`;
  const systems = Array.isArray(spec.systems) ? spec.systems : [];
  systems.forEach((s, i) => {
    if (typeof s === "string") {
      if (!cat.systems.has(s))
        out.push(
          `${parsed.where(["systems", i])}: systems[${i}]: unknown system id '${s}' ${known("systems", cat.systems)}`,
        );
    } else if (
      s &&
      typeof s === "object" &&
      (s as { compose?: unknown }).compose &&
      typeof (s as { compose: unknown }).compose === "object"
    ) {
      const c = (s as { compose: Record<string, unknown> }).compose;
      if (composeHasAxes(c)) {
        out.push(
          ...composeListProblems(
            cat,
            c,
            (f) =>
              `${parsed.where(["systems", i, "compose", ...(f ? [f] : [])])}: systems[${i}].compose${f ? `.${f}` : ""}`,
          ),
        );
      } else if (
        typeof c.fabric === "string" &&
        typeof c.host_cpu === "string" &&
        typeof c.nic === "string" &&
        typeof c.accelerators_per_node === "number"
      ) {
        out.push(
          ...systemReferenceProblems(
            cat,
            c as unknown as System,
            (field) => `${parsed.where(["systems", i, "compose", field])}: systems[${i}].compose.${field}`,
          ),
        );
      }
    }
  });
  const models = Array.isArray(spec.models) ? spec.models : [];
  models.forEach((m, i) => {
    const preset = (m as { preset?: unknown })?.preset;
    if (typeof preset === "string" && !cat.models.has(preset))
      out.push(
        `${parsed.where(["models", i, "preset"])}: models[${i}].preset: unknown model id '${preset}' ${known("models", cat.models)}`,
      );
    const sweep = (m as { sweep?: Record<string, unknown> })?.sweep;
    if (sweep && typeof sweep === "object") {
      for (const [k, v] of Object.entries(sweep)) {
        if (v && typeof v === "object" && !Array.isArray(v)) {
          const pr = axisProblem(v as AxisSpec, INTEGER_MODEL_AXES.has(k));
          if (pr) out.push(`${parsed.where(["models", i, "sweep", k])}: models[${i}].sweep.${k}: ${pr}`);
        }
      }
    }
  });
  const software = (spec.training as { software?: unknown } | undefined)?.software;
  const stacks = Object.keys(fit.params.software);
  if (typeof software === "string" && !stacks.includes(software))
    out.push(
      `${parsed.where(["training", "software"])}: training.software: unknown software stack '${software}' (expected one of the fitted stacks: ${stacks.join(", ")})`,
    );
  if (typeof spec.ps_system === "string" && !cat.systems.has(spec.ps_system))
    out.push(
      `${parsed.where(["ps_system"])}: ps_system: unknown system id '${spec.ps_system}' ${known("systems", cat.systems)}`,
    );
  for (const [path, integer] of [
    [["nodes"], true],
    [["ps_nodes"], true],
    [["training", "batch_size"], true],
  ] as const) {
    let v: unknown = spec;
    for (const k of path) v = v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined;
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const pr = axisProblem(v as AxisSpec, integer);
      if (pr) out.push(`${parsed.where([...path])}: ${path.join(".")}: ${pr}`);
    }
  }
  return out;
}

const AXIS_ORDER: Array<keyof ModelAxes> = [
  "dense_features",
  "embedding_dim",
  "pooling",
  "table_count_scale",
  "embedding_total_gb",
  "mlp_width_scale",
  "zipf_alpha",
  "embedding_precision",
];

function workloadsOf(model: Model, sweep: ModelAxes | undefined): WorkloadChoice[] {
  let combos: ModelAxisValues[] = [{}];
  for (const axis of AXIS_ORDER) {
    const spec = sweep?.[axis];
    if (spec === undefined) continue;
    const values: Array<number | string> =
      axis === "zipf_alpha" || axis === "embedding_precision"
        ? (spec as Array<number | string>)
        : expandAxis(spec as AxisSpec, INTEGER_MODEL_AXES.has(axis));
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [axis]: v })));
  }
  return combos.map((axes) => ({
    label: [model.id, ...Object.entries(axes).map(([k, v]) => `${k}=${v}`)].join(" "),
    model,
    axes,
  }));
}

export function resolve(parsed: ParsedFile, cat: Catalog, fit: LoadedFit = loadFit()): Plan {
  const spec = parsed.data as SweepSpec;
  const tco = cat.tco.get("default-tco") ?? [...cat.tco.values()][0]!;
  const { systems, refused, derivedParts, notes } = planSystems(spec, cat, tco);
  const modelAxisNames = new Set<string>();
  const workloads = spec.models.flatMap((m) => {
    const model: Model =
      "preset" in m
        ? cat.models.get(m.preset)!
        : {
            ...m.inline,
            name: m.inline.name ?? m.inline.id,
            sources: [{ ref: basename(parsed.file), supports: "inline model of the spec" }],
          };
    for (const k of Object.keys(m.sweep ?? {})) modelAxisNames.add(k);
    return workloadsOf(model, m.sweep);
  });
  const psSystemId = spec.ps_system ?? DEFAULT_PS_SYSTEM;
  const cost = spec.cost ?? {};
  const samplesFromModel =
    workloads.length && workloads.every((w) => w.model.samples_per_epoch === workloads[0]!.model.samples_per_epoch)
      ? workloads[0]!.model.samples_per_epoch
      : undefined;
  return {
    spec,
    specHash: createHash("sha256").update(canonical(spec)).digest("hex"),
    catalogHash: cat.hash,
    fitHash: fit.hash,
    params: fit.params,
    tco,
    systems,
    refused,
    derivedParts,
    notes,
    psSystem: systemParts(cat, psSystemId, cat.systems.get(psSystemId)!),
    workloads,
    modelAxisNames: AXIS_ORDER.filter((a) => modelAxisNames.has(a)),
    nodes: expandAxis(spec.nodes as AxisSpec, true),
    placements: spec.placements.flatMap((p) =>
      p === "remote-ps"
        ? (spec.ps_nodes ? expandAxis(spec.ps_nodes as AxisSpec, true) : [DEFAULT_PS_NODES]).map((n) => ({
            placement: PLACEMENTS.indexOf(p),
            psNodes: n,
          }))
        : [{ placement: PLACEMENTS.indexOf(p), psNodes: 0 }],
    ),
    batches: expandAxis(spec.training.batch_size as AxisSpec, true),
    precisions: (spec.training.precision ?? DEFAULT_PRECISIONS).map((p) => PRECISIONS.indexOf(p)),
    objectives: (spec.objectives ?? DEFAULT_OBJECTIVES).filter((o): o is Objective =>
      (OBJECTIVES as readonly string[]).includes(o),
    ),
    cloudBasis: cost.basis === "cloud",
    pue: cost.pue ?? tco.pue,
    electricityUsdPerKwh: cost.electricity_usd_per_kwh ?? tco.electricity_usd_per_kwh,
    amortizationYears: cost.amortization_years ?? tco.amortization_years,
    cloudUsdPerNodeHour: cost.cloud_usd_per_node_hour ?? null,
    powerBudgetW: spec.constraints?.power_budget_w ?? null,
    maxNodes: spec.constraints?.max_nodes ?? null,
    minThroughput: spec.constraints?.min_throughput_samples_per_s ?? null,
    readers: spec.training.data_loading === "readers",
    software: spec.training.software ?? DEFAULT_SOFTWARE,
    samplesToTrain: spec.training.samples_to_train ?? samplesFromModel ?? null,
    writePoints: spec.output?.points_csv ?? true,
    prune: !(spec.output?.points_csv ?? true) && (spec.output?.prune ?? true),
    writeReport: spec.output?.report ?? true,
  };
}
