// Loads a sweep spec, validates it and every catalog id it names, and resolves it into a Plan.
import { createHash } from "node:crypto";
import { basename } from "node:path";
import { canonical, loadCatalog, systemReferenceProblems, type Catalog } from "../catalog/load.ts";
import { DEFAULT_PS_SYSTEM, systemParts } from "../catalog/systems.ts";
import { loadFit, type LoadedFit } from "../fit/load.ts";
import { InputError } from "../input/errors.ts";
import { readYamlFile, type ParsedFile } from "../input/read.ts";
import { validateAgainst } from "../input/validate.ts";
import type { NodeParts } from "../model/node.ts";
import { COLUMNS } from "../model/result.ts";
import { DEFAULT_SOFTWARE_NAME, NAMED_STACKS } from "../model/software.ts";
import type { ModelAxisValues } from "../model/workload.ts";
import type { Model, System } from "../schema/catalog.ts";
import { DEFAULT_PRECISIONS, OBJECTIVES, PLACEMENTS, PRECISIONS, type Objective } from "../schema/vocab.ts";
import type { ModelAxes, SweepSpec } from "../schema/spec.ts";
import { axisProblem, expandAxis, type AxisSpec } from "./axes.ts";
import { chooseCloudProvider, describeProvider, withCloudRate } from "./cloud.ts";
import type { Plan, WorkloadChoice } from "./plan.ts";
import { INTEGER_MODEL_AXES, sizeProblem } from "./size.ts";

export const DEFAULT_PS_NODES = 2;
/** points.csv's columns before the result columns, the model axes aside (output/format.ts pointHeader) */
const POINT_AXIS_COLUMNS = ["index", "model", "workload", "system", "nodes", "embedding_placement", "ps_nodes"];
const POINT_AXIS_COLUMNS_2 = ["batch_size", "precision"];
export const DEFAULT_OBJECTIVES: Objective[] = ["samples_per_joule", "samples_per_usd"];

export interface Loaded {
  plan: Plan;
  catalog: Catalog;
  parsed: ParsedFile;
}

export interface LoadOptions {
  /** lift the size limit (--force); the hard limits on workloads and indices stay */
  force?: boolean;
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
  // The design space's size from the spec, before anything is expanded.
  const tooLarge = sizeProblem(parsed.data as SweepSpec, !!opts.force);
  if (tooLarge) throw new InputError(`${specFile}: ${tooLarge}`);
  const dupes = duplicateWorkloads(parsed);
  if (dupes.length) throw new InputError(dupes);
  return { plan: resolve(parsed, catalog, fit), catalog, parsed };
}

/** Dangling ids, impossible ranges and composed nodes that reference missing parts. Tolerant of schema errors. */
function referenceProblems(parsed: ParsedFile, cat: Catalog, fit: LoadedFit): string[] {
  const spec = parsed.data as Record<string, unknown>;
  const out: string[] = [];
  const known = (kind: string, map: Map<string, unknown>) =>
    `(expected one of the catalog's ${kind}: ${[...map.keys()].sort().join(", ")})`;
  const systems = Array.isArray(spec.systems) ? spec.systems : [];
  // each system once: a catalog id twice, or a composed id that repeats another or shadows a catalog system
  const firstSystem = new Map<string, number>();
  systems.forEach((s, i) => {
    const composed = s && typeof s === "object" && typeof (s as { id?: unknown }).id === "string";
    const id = typeof s === "string" ? s : composed ? (s as { id: string }).id : undefined;
    if (id === undefined) return;
    const path = composed ? ["systems", i, "id"] : ["systems", i];
    const shown = composed ? `systems[${i}].id` : `systems[${i}]`;
    const prior = firstSystem.get(id);
    if (prior !== undefined) {
      out.push(
        `${parsed.where(path)}: ${shown}: system '${id}' again (first at systems[${prior}], ${parsed.where(["systems", prior])}; expected each system once)`,
      );
      return;
    }
    firstSystem.set(id, i);
    if (composed && cat.systems.has(id)) {
      out.push(
        `${parsed.where(path)}: ${shown}: composed system id '${id}' is already a catalog system (defined at ${cat.originOf?.("systems", id) ?? "the catalog"}; expected a new id for a composed node, or the catalog id alone to use the catalog's)`,
      );
    }
  });
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
      if (
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
  const stacks = [...new Set([...Object.keys(fit.params.software), ...NAMED_STACKS])];
  if (typeof software === "string" && !stacks.includes(software))
    out.push(
      `${parsed.where(["training", "software"])}: training.software: unknown software stack '${software}' (expected one of the fitted stacks: ${stacks.join(", ")})`,
    );
  const provider = (spec.cost as { cloud_provider?: unknown } | undefined)?.cloud_provider;
  const tco = cat.tco.get("default-tco") ?? [...cat.tco.values()][0];
  const providers = (tco?.cloud_providers ?? []).map((p) => p.id);
  if (typeof provider === "string" && !providers.includes(provider))
    out.push(
      `${parsed.where(["cost", "cloud_provider"])}: cost.cloud_provider: unknown provider '${provider}' ` +
        `(expected one of the catalog's cloud_providers: ${providers.join(", ") || "none"})`,
    );
  const columns = (spec.output as { columns?: unknown } | undefined)?.columns;
  if (Array.isArray(columns)) {
    const knownColumns = [
      ...POINT_AXIS_COLUMNS,
      ...POINT_AXIS_COLUMNS_2,
      ...AXIS_ORDER,
      ...COLUMNS.filter((c) => c !== "infeasible"),
    ];
    columns.forEach((c, i) => {
      if (typeof c === "string" && !knownColumns.includes(c))
        out.push(
          `${parsed.where(["output", "columns", i])}: output.columns[${i}]: unknown column '${c}' ` +
            `(expected points.csv's columns: ${knownColumns.join(", ")})`,
        );
    });
  }
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

/** The same workload from two model entries (the same model, no axis value telling them apart). */
function duplicateWorkloads(parsed: ParsedFile): string[] {
  const spec = parsed.data as SweepSpec;
  const first = new Map<string, number>();
  const out: string[] = [];
  spec.models.forEach((m, i) => {
    const id = "preset" in m ? m.preset : m.inline.id;
    for (const w of workloadsOf({ id } as Model, m.sweep)) {
      const prior = first.get(w.label);
      if (prior === undefined) {
        first.set(w.label, i);
        continue;
      }
      if (prior === i) continue;
      out.push(
        `${parsed.where(["models", i])}: models[${i}]: model '${id}' again: workload '${w.label}' is also given by models[${prior}] at ${parsed.where(["models", prior])} (expected each model once: put all of its axis values in one entry's sweep)`,
      );
      return;
    }
  });
  return out;
}

export function resolve(parsed: ParsedFile, cat: Catalog, fit: LoadedFit = loadFit()): Plan {
  const spec = parsed.data as SweepSpec;
  const tco = cat.tco.get("default-tco") ?? [...cat.tco.values()][0]!;
  const cost = spec.cost ?? {};
  const cloudBasis = cost.basis === "cloud";
  const provider = cloudBasis ? chooseCloudProvider(tco, cost.cloud_provider) : null;
  // Cloud basis: every node gets its rate from the one chosen provider (or its own), never from another provider.
  const priced = (p: NodeParts) => (cloudBasis ? withCloudRate(p, provider, tco) : p);
  const systems = spec.systems.map((s) =>
    priced(typeof s === "string" ? systemParts(cat, s, cat.systems.get(s)!) : systemParts(cat, s.id, s.compose)),
  );
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
  const samplesFromModel =
    workloads.length && workloads.every((w) => w.model.samples_per_epoch === workloads[0]!.model.samples_per_epoch)
      ? workloads[0]!.model.samples_per_epoch
      : undefined;
  return {
    spec,
    specHash: createHash("sha256").update(canonical(spec)).digest("hex"),
    catalogHash: cat.hash,
    userCatalogHash: cat.userHash ?? null,
    fitHash: fit.hash,
    params: fit.params,
    // the rates now sit on the nodes; the legacy map must not add another provider's rate
    tco: provider ? { ...tco, cloud_usd_per_accelerator_hour: {} } : tco,
    systems,
    psSystem: priced(systemParts(cat, psSystemId, cat.systems.get(psSystemId)!)),
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
    cloudBasis,
    cloudProvider: provider ? describeProvider(provider) : null,
    pue: cost.pue ?? tco.pue,
    electricityUsdPerKwh: cost.electricity_usd_per_kwh ?? tco.electricity_usd_per_kwh,
    amortizationYears: cost.amortization_years ?? tco.amortization_years,
    cloudUsdPerNodeHour: cost.cloud_usd_per_node_hour ?? null,
    powerBudgetW: spec.constraints?.power_budget_w ?? null,
    maxNodes: spec.constraints?.max_nodes ?? null,
    minThroughput: spec.constraints?.min_throughput_samples_per_s ?? null,
    readers: spec.training.data_loading === "readers",
    software: spec.training.software ?? DEFAULT_SOFTWARE_NAME,
    samplesToTrain: spec.training.samples_to_train ?? samplesFromModel ?? null,
    samplesPerRun: workloads.map((w) => spec.training.samples_to_train ?? w.model.samples_per_epoch ?? null),
    writePoints: spec.output?.points_csv ?? true,
    writeReport: spec.output?.report ?? true,
    writeParquet: spec.output?.points_parquet ?? false,
    columns: spec.output?.columns ?? null,
    topK: spec.output?.top_k ?? null,
  };
}
