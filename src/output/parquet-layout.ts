// The columns of points.parquet for a plan: points.csv's columns and names (or the spec's output.columns, in its
// order), each with its Parquet type and where its values come from. Built once per plan and thread.
import { C, NAMED_COLUMNS } from "../model/result.ts";
import { INTERVAL_COLUMNS } from "../schema/vocab.ts";
import { AXIS, coordsToIndex, describePoint, radices, totalPoints, type PointDescription } from "../space/space.ts";
import type { Plan } from "../spec/plan.ts";
import { hasDerivedParts, pointHeader } from "./format.ts";

export type Kind = "STRING" | "INT32" | "INT64" | "FLOAT" | "DOUBLE";

/**
 * Where a column's values come from:
 * - `index`: the point's index;
 * - `axis`: a value of `table` picked by the point's coordinate on `axis` (space/space.ts AXIS);
 * - `figure`: the result row's column `col` (a number, or an index into `names` for a named column);
 * - `interval`: the schema/vocab.ts INTERVAL_COLUMNS field at `interval`.
 */
export type Source =
  | { from: "index" }
  | { from: "axis"; axis: number; table: ReadonlyArray<string | number | null> }
  | { from: "figure"; col: number; names: readonly string[] | null }
  | { from: "interval"; interval: number };

export interface LayoutColumn {
  name: string;
  kind: Kind;
  /** may hold nulls (OPTIONAL in the schema) */
  optional: boolean;
  source: Source;
}

const INT_RESULTS = new Set(["total_nodes", "reader_nodes"]);
const PER_RUN = new Set(["time_to_train_h", "energy_per_run_kwh", "cost_per_run_usd"]);
const missing = (v: unknown) => v === null || v === undefined || v === "";

/** An axis column: each axis value's field as points.csv writes it, typed by what the values are. */
function axisColumn(plan: Plan, radix: number[], name: string, k: number, f: (d: PointDescription) => unknown) {
  const describe = (v: number) =>
    describePoint(
      plan,
      coordsToIndex(
        radix.map((_, j) => (j === k ? v : 0)),
        radix,
      ),
    );
  const values = Array.from({ length: radix[k]! }, (_, v) => f(describe(v)));
  const numeric = values.every((v) => typeof v === "number" || missing(v));
  const integer = numeric && values.every((v) => missing(v) || Number.isInteger(v));
  const table = values.map((v) => (missing(v) ? null : numeric ? (v as number) : String(v)));
  const kind: Kind = !numeric ? "STRING" : integer ? "INT32" : "DOUBLE";
  return { name, kind, optional: table.includes(null), source: { from: "axis" as const, axis: k, table } };
}

/** The file's columns for `plan`, in file order; a chosen column this sweep lacks (an unswept axis) is left out. */
export function parquetLayout(plan: Plan): LayoutColumn[] {
  const radix = radices(plan);
  const axis = (name: string, k: number, f: (d: PointDescription) => unknown) => axisColumn(plan, radix, name, k, f);
  // per-run figures are NaN for every point of a workload without samples per run (eq. K3)
  const perRunMissing = plan.samplesPerRun.some((s) => s === null);
  const all: LayoutColumn[] = [
    // 32-bit while every index fits
    {
      name: "index",
      kind: totalPoints(plan) < 2 ** 31 ? "INT32" : "INT64",
      optional: false,
      source: { from: "index" },
    },
    axis("model", AXIS.workload, (d) => d.model),
    axis("workload", AXIS.workload, (d) => d.workload),
    ...plan.modelAxisNames.map((a) => axis(a, AXIS.workload, (d) => d.axes[a])),
    axis("system", AXIS.system, (d) => d.system),
    axis("nodes", AXIS.nodes, (d) => d.nodes),
    axis("embedding_placement", AXIS.embedding_placement, (d) => d.embedding_placement),
    axis("ps_nodes", AXIS.embedding_placement, (d) => d.ps_nodes),
    axis("batch_size", AXIS.batch_size, (d) => d.batch_size),
    axis("precision", AXIS.precision, (d) => d.precision),
    ...pointHeader(plan)
      .filter((h) => h in C)
      .map((h): LayoutColumn => {
        const names = NAMED_COLUMNS[h] ?? null;
        const kind: Kind = names ? "STRING" : INT_RESULTS.has(h) ? "INT32" : "FLOAT";
        // hbm_cache_share is NaN (null) for placements without an HBM share
        const optional = (PER_RUN.has(h) && perRunMissing) || h === "hbm_cache_share";
        return { name: h, kind, optional, source: { from: "figure", col: C[h as keyof typeof C], names } };
      }),
    ...INTERVAL_COLUMNS.map(
      (name, interval): LayoutColumn => ({
        name,
        kind: name === "unmeasured" ? "STRING" : name === "extrapolated" ? "INT32" : "FLOAT",
        optional: true,
        source: { from: "interval", interval },
      }),
    ),
    // last, as in points.csv: the what-if parts of the point's node (spec/derive.ts), null for a node without any
    ...(hasDerivedParts(plan)
      ? [
          {
            name: "derived_parts",
            kind: "STRING" as const,
            optional: true,
            source: {
              from: "axis" as const,
              axis: AXIS.system,
              table: plan.systems.map((_, i) => (plan.derivedParts![i] ?? []).join(" ") || null),
            },
          },
        ]
      : []),
  ];
  const columns = plan.columns;
  if (!columns) return all;
  return all.filter((c) => columns.includes(c.name)).sort((a, b) => columns.indexOf(a.name) - columns.indexOf(b.name));
}

/** The file's schema (hyparquet's SchemaElement list: the root, then one flat field per column). */
export function parquetSchema(layout: readonly LayoutColumn[]) {
  return [
    { name: "root", num_children: layout.length },
    ...layout.map((c) => ({
      name: c.name,
      repetition_type: c.optional ? ("OPTIONAL" as const) : ("REQUIRED" as const),
      ...(c.kind === "STRING" ? { type: "BYTE_ARRAY" as const, converted_type: "UTF8" as const } : { type: c.kind }),
    })),
  ];
}
