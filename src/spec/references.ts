// The spec's references checked before it is resolved: every catalog id it names, software stacks, cloud
// providers, output columns, composed nodes' parts and axis ranges. Tolerant of schema errors.
import { systemReferenceProblems, type Catalog } from "../catalog/load.ts";
import { tableSizeProblems } from "../catalog/table-size.ts";
import type { LoadedFit } from "../fit/load.ts";
import type { ParsedFile } from "../input/read.ts";
import { didYouMean } from "../input/suggest.ts";
import { COLUMNS } from "../model/result.ts";
import { NAMED_STACKS } from "../model/software.ts";
import type { System } from "../schema/catalog.ts";
import { INTERVAL_COLUMNS } from "../schema/vocab.ts";
import { axisProblem, type AxisSpec } from "./axes.ts";
import { composeHasAxes } from "./compose.ts";
import { INTEGER_MODEL_AXES } from "./size.ts";
import { composeListProblems } from "./systems.ts";
import { AXIS_ORDER } from "./workloads.ts";

/** points.csv's columns before the result columns, the model axes aside (output/format.ts pointHeader) */
const POINT_AXIS_COLUMNS = ["index", "model", "workload", "system", "nodes", "embedding_placement", "ps_nodes"];
const POINT_AXIS_COLUMNS_2 = ["batch_size", "precision"];
/** points.csv's columns after the result columns: the intervals, then derived_parts (sweeps with what-if parts). */
export const POINT_TAIL_COLUMNS = [...INTERVAL_COLUMNS, "derived_parts"];

/** Dangling ids, impossible ranges and composed nodes that reference missing parts. Tolerant of schema errors. */
export function referenceProblems(parsed: ParsedFile, cat: Catalog, fit: LoadedFit): string[] {
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
        `${parsed.where(path)}: ${shown}: system '${id}' again (first at systems[${prior}], ` +
          `${parsed.where(["systems", prior])}; expected each system once)`,
      );
      return;
    }
    firstSystem.set(id, i);
    if (composed && cat.systems.has(id)) {
      out.push(
        `${parsed.where(path)}: ${shown}: composed system id '${id}' is already a catalog system (defined at ` +
          `${cat.originOf?.("systems", id) ?? "the catalog"}; expected a new id for a composed node, or the catalog ` +
          "id alone to use the catalog's)",
      );
    }
  });
  systems.forEach((s, i) => {
    if (typeof s === "string") {
      if (!cat.systems.has(s))
        out.push(
          `${parsed.where(["systems", i])}: systems[${i}]: unknown system id '${s}'` +
            `${didYouMean(s, cat.systems.keys())} ` +
            `${known("systems", cat.systems)}`,
        );
    } else if (
      s &&
      typeof s === "object" &&
      (s as { compose?: unknown }).compose &&
      typeof (s as { compose: unknown }).compose === "object"
    ) {
      const c = (s as { compose: Record<string, unknown> }).compose;
      if (composeHasAxes(c)) {
        // lists, ranges or derived parts: every listed part and every derive checked (spec/systems.ts)
        const at = (f: string) =>
          `${parsed.where(["systems", i, "compose", ...(f ? [f] : [])])}: systems[${i}].compose${f ? `.${f}` : ""}`;
        out.push(...composeListProblems(cat, c, at));
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
    if ((m as { inline?: unknown })?.inline) out.push(...tableSizeProblems(parsed, ["models", i, "inline", "tables"]));
    const preset = (m as { preset?: unknown })?.preset;
    if (typeof preset === "string" && !cat.models.has(preset))
      out.push(
        `${parsed.where(["models", i, "preset"])}: models[${i}].preset: unknown model id '${preset}'` +
          `${didYouMean(preset, cat.models.keys())} ` +
          `${known("models", cat.models)}`,
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
      `${parsed.where(["training", "software"])}: training.software: unknown software stack '${software}'` +
        `${didYouMean(software, stacks)} (expected ` +
        `one of the fitted stacks: ${stacks.join(", ")})`,
    );
  const provider = (spec.cost as { cloud_provider?: unknown } | undefined)?.cloud_provider;
  const tco = cat.tco.get("default-tco") ?? [...cat.tco.values()][0];
  const providers = (tco?.cloud_providers ?? []).map((p) => p.id);
  if (typeof provider === "string" && !providers.includes(provider))
    out.push(
      `${parsed.where(["cost", "cloud_provider"])}: cost.cloud_provider: unknown provider '${provider}'` +
        `${didYouMean(provider, providers)} ` +
        `(expected one of the catalog's cloud_providers: ${providers.join(", ") || "none"})`,
    );
  const columns = (spec.output as { columns?: unknown } | undefined)?.columns;
  if (Array.isArray(columns)) {
    const knownColumns = [
      ...POINT_AXIS_COLUMNS,
      ...POINT_AXIS_COLUMNS_2,
      ...AXIS_ORDER,
      ...COLUMNS.filter((c) => c !== "infeasible"),
      ...POINT_TAIL_COLUMNS,
    ];
    columns.forEach((c, i) => {
      if (typeof c === "string" && !knownColumns.includes(c))
        out.push(
          `${parsed.where(["output", "columns", i])}: output.columns[${i}]: unknown column '${c}'` +
            `${didYouMean(c, knownColumns)} ` +
            `(expected points.csv's columns: ${knownColumns.join(", ")})`,
        );
    });
  }
  if (typeof spec.ps_system === "string" && !cat.systems.has(spec.ps_system))
    out.push(
      `${parsed.where(["ps_system"])}: ps_system: unknown system id '${spec.ps_system}'` +
        `${didYouMean(spec.ps_system, cat.systems.keys())} ` +
        `${known("systems", cat.systems)}`,
    );
  for (const [path, integer] of [
    [["nodes"], true],
    [["ps_nodes"], true],
    [["training", "batch_size"], true],
    [["training", "hbm_cache_share"], false],
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
