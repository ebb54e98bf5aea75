// Loads a sweep spec, validates it and every catalog id it names, and resolves it into a Plan.
import { createHash } from "node:crypto";
import { basename } from "node:path";
import { canonical, loadCatalog, type Catalog } from "../catalog/load.ts";
import { DEFAULT_PS_SYSTEM, systemParts } from "../catalog/systems.ts";
import { loadFit, type LoadedFit } from "../fit/load.ts";
import { InputError } from "../input/errors.ts";
import { readYamlFile, type ParsedFile } from "../input/read.ts";
import { validateAgainst } from "../input/validate.ts";
import type { NodeParts } from "../model/node.ts";
import { DEFAULT_SOFTWARE_NAME, describeStack, VENDOR_DEFAULT_NAMES, vendorOf } from "../model/software.ts";
import type { Model } from "../schema/catalog.ts";
import {
  DEFAULT_OBJECTIVES,
  DEFAULT_PRECISIONS,
  DEFAULT_PS_NODES,
  OBJECTIVES,
  PLACEMENTS,
  PRECISIONS,
  type Objective,
} from "../schema/vocab.ts";
import type { SweepSpec } from "../schema/spec.ts";
import { expandAxis, type AxisSpec } from "./axes.ts";
import { chooseCloudProvider, describeProvider, withCloudRate } from "./cloud.ts";
import type { PlacementVariant, Plan } from "./plan.ts";
import { referenceProblems } from "./references.ts";
import { sizeProblem } from "./size.ts";
import { planSystems } from "./systems.ts";
import { AXIS_ORDER, duplicateWorkloads, reportWorkloadProblems, workloadsOf } from "./workloads.ts";
import { modelShapeNotes } from "./model-shape.ts";
import { perRunObjectiveProblems } from "./per-run.ts";
import { ignoredSettingNotes } from "./ignored.ts";

export { DEFAULT_PS_NODES } from "../schema/vocab.ts";
export { DEFAULT_OBJECTIVES } from "../schema/vocab.ts";

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
    // one message per field: a reference problem at a path the schema already reports says the same again
    const pathOf = (m: string) => /^.*?:\d+:\d+: ([^:]+):/.exec(m)?.[1];
    const reported = new Set(schemaProblems.map(pathOf));
    throw new InputError([...schemaProblems, ...refProblems.filter((m) => !reported.has(pathOf(m)))]);
  }
  const catalog = loadCatalog(catalogDir);
  const problems = referenceProblems(parsed, catalog, fit);
  if (problems.length) throw new InputError(problems);
  // The design space's size from the spec, before anything is expanded.
  const tooLarge = sizeProblem(parsed.data as SweepSpec, !!opts.force);
  if (tooLarge) throw new InputError(`${specFile}: ${tooLarge}`);
  const dupes = duplicateWorkloads(parsed);
  if (dupes.length) throw new InputError(dupes);
  const plan = resolve(parsed, catalog, fit);
  const late = [
    ...perRunObjectiveProblems(parsed, plan),
    ...reportWorkloadProblems(
      parsed,
      plan.workloads.map((w) => w.label),
    ),
  ];
  if (late.length) throw new InputError(late);
  return { plan, catalog, parsed };
}

/** Placements that take training.hbm_cache_share, one variant per share. */
const SHARED_PLACEMENTS: readonly string[] = ["hbm-cache", "hbm-split"];

/** The placement axis: remote-ps once per parameter-server count, hbm-cache and hbm-split once per HBM share. */
export function placementVariants(spec: SweepSpec): PlacementVariant[] {
  const shares: Array<number | null> = spec.training.hbm_cache_share
    ? expandAxis(spec.training.hbm_cache_share as AxisSpec, false)
    : [null];
  return spec.placements.flatMap((p): PlacementVariant[] => {
    const placement = PLACEMENTS.indexOf(p);
    if (p === "remote-ps") {
      const counts = spec.ps_nodes ? expandAxis(spec.ps_nodes as AxisSpec, true) : [DEFAULT_PS_NODES];
      return counts.map((n) => ({ placement, psNodes: n, hbmShare: null }));
    }
    if (SHARED_PLACEMENTS.includes(p)) return shares.map((share) => ({ placement, psNodes: 0, hbmShare: share }));
    return [{ placement, psNodes: 0, hbmShare: null }];
  });
}

export function resolve(parsed: ParsedFile, cat: Catalog, fit: LoadedFit = loadFit()): Plan {
  const spec = parsed.data as SweepSpec;
  const tco = cat.tco.get("default-tco") ?? [...cat.tco.values()][0]!;
  const cost = spec.cost ?? {};
  const cloudBasis = cost.basis === "cloud";
  const provider = cloudBasis ? chooseCloudProvider(tco, cost.cloud_provider) : null;
  // Cloud basis: every node gets its rate from the one chosen provider (or its own), never from another provider.
  const priced = (p: NodeParts) => (cloudBasis ? withCloudRate(p, provider, tco) : p);
  // catalog ids, composes, and the node designs compose lists expand to (spec/systems.ts)
  const planned = planSystems(spec, cat, tco);
  const systems = planned.systems.map(priced);
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
    catalogOverrides: (cat.overrides ?? []).map(({ kind, id, field, from, to, sources }) => ({
      kind,
      id,
      field,
      from,
      to,
      sources,
    })),
    catalogReplaced: (cat.replaced ?? []).map(({ kind, id }) => ({ kind, id })),
    userCatalogHash: cat.userHash ?? null,
    fitHash: fit.hash,
    params: fit.params,
    intervals: fit.intervals,
    // the rates now sit on the nodes; the legacy map must not add another provider's rate
    tco: provider ? { ...tco, cloud_usd_per_accelerator_hour: {} } : tco,
    systems,
    refused: planned.refused,
    derivedParts: planned.derivedParts,
    notes: [
      ...ignoredSettingNotes(spec, tco.default_cloud_provider),
      ...planned.notes,
      ...modelShapeNotes(workloads),
      ...softwareNotes(spec.training.software ?? DEFAULT_SOFTWARE_NAME, systems),
    ],
    psSystem: priced(systemParts(cat, psSystemId, cat.systems.get(psSystemId)!)),
    workloads,
    modelAxisNames: AXIS_ORDER.filter((a) => modelAxisNames.has(a)),
    nodes: expandAxis(spec.nodes as AxisSpec, true),
    placements: placementVariants(spec),
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
    // pruning only where no output needs every point (engine/prune.ts), and not over the placement controls
    // (hbm-split, training.hbm_cache_share), which came after the bounds were derived (cost-model.md B)
    prune:
      !spec.placements.includes("hbm-split") &&
      spec.training.hbm_cache_share === undefined &&
      !(spec.output?.points_csv ?? true) &&
      !(spec.output?.points_parquet ?? false) &&
      spec.output?.top_k === undefined &&
      (spec.output?.prune ?? true),
    writeReport: spec.output?.report ?? true,
    writeParquet: spec.output?.points_parquet ?? false,
    columns: spec.output?.columns ?? null,
    topK: spec.output?.top_k ?? null,
  };
}

/** eq. S3: a note per system whose accelerators the named stack does not run on (its points: software-unsupported). */
function softwareNotes(software: string, systems: readonly NodeParts[]): string[] {
  if (VENDOR_DEFAULT_NAMES.includes(software))
    // a part whose name starts with no vendor the catalog knows gets the stack for other vendors (eq. S4)
    return [
      ...new Set(
        systems.flatMap((s) =>
          s.accelerator && s.accelerators_per_node > 0 && vendorOf(s.accelerator.name) === "other"
            ? [
                `'${s.accelerator.id}' ("${s.accelerator.name}") names no vendor the catalog knows (its name's first ` +
                  "word: NVIDIA, AMD or Intel), so it runs the stack for other vendors, optimised PyTorch; a name " +
                  "that starts with its vendor gives it that vendor's stack (docs/cost-model.md S4)",
              ]
            : [],
        ),
      ),
    ];
  const runsOn = describeStack(software).vendors as readonly string[];
  // one note per vendor the stack does not run on, naming a few of its systems (a hardware sweep has thousands)
  const byVendor = new Map<string, string[]>();
  for (const s of systems) {
    const vendor = s.accelerator && s.accelerators_per_node > 0 ? vendorOf(s.accelerator.name) : "cpu";
    if (!runsOn.includes(vendor)) byVendor.set(vendor, [...(byVendor.get(vendor) ?? []), s.id]);
  }
  return [...byVendor].map(([vendor, ids]) => {
    const named = ids.length > 3 ? `${ids.slice(0, 3).join(", ")} and ${ids.length - 3} more` : ids.join(", ");
    return (
      `training.software '${software}' does not run on ${vendor} devices (${named}; it runs on ` +
      `${runsOn.join(", ")}): their points are infeasible (software-unsupported); vendor-default runs each ` +
      "vendor's own stack"
    );
  });
}
