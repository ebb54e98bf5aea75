// How scored points become CSV rows: column names with units, fixed number formatting for stable bytes.
import { intervalFields, PointIntervals, residentRow } from "../frontier/intervals.ts";
import { INTERVAL_COLUMNS } from "../schema/vocab.ts";
import { C, COLUMNS, NAMED_COLUMNS, NCOLS } from "../model/result.ts";
import { AXIS, coordsToIndex, describePoint, radices, type PointDescription } from "../space/space.ts";
import type { Plan } from "../spec/plan.ts";
import { csvField } from "./csv.ts";

/** Result columns as written: every model column except the internal infeasible code. */
const RESULT_COLUMNS = COLUMNS.filter((c) => c !== "infeasible");

export function pointHeader(plan: Plan): string[] {
  return [
    "index",
    "model",
    "workload",
    ...plan.modelAxisNames,
    "system",
    "nodes",
    "embedding_placement",
    "ps_nodes",
    "batch_size",
    "precision",
    ...RESULT_COLUMNS,
    ...INTERVAL_COLUMNS,
    // last, and only when the spec derives what-if parts: the extrapolated parts of the point's node
    ...(hasDerivedParts(plan) ? ["derived_parts"] : []),
  ];
}

/** True when some node of the plan uses a what-if part (spec/derive.ts). */
export const hasDerivedParts = (plan: Plan) => (plan.derivedParts ?? []).some((d) => d.length > 0);

/**
 * Six significant digits (the shortest form of the value rounded so); integers as written; non-finite values as
 * empty fields. Between 1e-6 and 1e6 toPrecision writes fixed notation, and dropping its trailing zeros gives the
 * same text as a round trip through Number (about a third faster; points.csv formats ~40 numbers per row).
 */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return "";
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const text = v.toPrecision(6);
  const a = Math.abs(v);
  if (a < 1e-6 || a >= 1e6 || text.includes("e")) return String(Number(text)); // "e": rounding reached 1e6
  if (!text.includes(".")) return text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48 /* 0 */) end--;
  if (text.charCodeAt(end - 1) === 46 /* . */) end--;
  return text.slice(0, end);
}

/**
 * CSV lines of scored points (points.csv, frontier.csv, sample.csv; columns of pointHeader): the fields of every
 * axis value are escaped and joined once per plan, so a line is its index, six prepared pieces and the numbers.
 */
export class PointLines {
  private readonly radix: number[];
  /** per axis (outermost first), per value: that axis's fields of a line, escaped and joined */
  private readonly axisFields: string[][];
  private readonly resultCols = Int32Array.from(RESULT_COLUMNS, (c) => C[c]);
  /** per result column: the names its values index (bottleneck, placement_resolved), or null for a number */
  private readonly namesAt = RESULT_COLUMNS.map((c) => NAMED_COLUMNS[c] ?? null);
  private readonly intervals: PointIntervals;
  /** per system: the derived_parts field (with its leading comma), or null without that column */
  private readonly derivedField: string[] | null;
  constructor(plan: Plan) {
    this.intervals = new PointIntervals(plan);
    const radix = radices(plan);
    this.radix = radix;
    const fields = (values: readonly (string | number | null | undefined)[]) =>
      values.map((v) => csvField(v === null || v === undefined ? "" : String(v))).join(",");
    // each axis's columns, in pointHeader's order, as describePoint describes them
    const columnsOfAxis: Array<(d: PointDescription) => Array<string | number | null | undefined>> = [
      (d) => [d.model, d.workload, ...plan.modelAxisNames.map((a) => d.axes[a])],
      (d) => [d.system],
      (d) => [d.nodes],
      (d) => [d.embedding_placement, d.ps_nodes],
      (d) => [d.batch_size],
      (d) => [d.precision],
    ];
    this.derivedField = hasDerivedParts(plan)
      ? plan.systems.map((_, i) => `,${csvField((plan.derivedParts![i] ?? []).join(" "))}`)
      : null;
    this.axisFields = radix.map((values, k) =>
      Array.from({ length: values }, (_, v) => {
        const coords = radix.map((_, j) => (j === k ? v : 0));
        return fields(columnsOfAxis[k]!(describePoint(plan, coordsToIndex(coords, radix))));
      }),
    );
  }

  /** Lines (each ending in "\n") of points `indices[i]` whose rows are rows[i * NCOLS ..], for i < count. */
  lines(indices: ArrayLike<number>, rows: Float64Array, count = indices.length): string {
    const out: string[] = new Array<string>(count);
    const radix = this.radix,
      axisFields = this.axisFields,
      cols = this.resultCols;
    const numbers: string[] = new Array<string>(cols.length);
    const coords = new Int32Array(radix.length);
    for (let i = 0; i < count; i++) {
      const index = indices[i]!;
      let line = "",
        rest = index;
      for (let k = radix.length - 1; k >= 0; k--) {
        coords[k] = rest % radix[k]!;
        line = `,${axisFields[k]![coords[k]!]!}${line}`;
        rest = Math.floor(rest / radix[k]!);
      }
      const o = i * NCOLS;
      for (let c = 0; c < cols.length; c++) {
        const v = rows[o + cols[c]!]!;
        const names = this.namesAt[c];
        numbers[c] = names ? csvField(names[v] ?? "") : formatNumber(v);
      }
      const u = this.intervals.of(coords, residentRow(rows, o));
      const interval = intervalFields(u, rows[o + C.throughput_samples_per_s]!);
      const tail = interval.map((v) => (typeof v === "number" ? formatNumber(v) : v)).join(",");
      const derived = this.derivedField === null ? "" : this.derivedField[coords[AXIS.system]!]!;
      out[i] = `${String(index) + line},${numbers.join(",")},${tail}${derived}\n`;
    }
    return out.join("");
  }
}
