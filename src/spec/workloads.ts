// A spec's workloads: each model with every combination of its swept axis values, and workloads given twice.
import type { ParsedFile } from "../input/read.ts";
import { didYouMean } from "../input/suggest.ts";
import type { ModelAxisValues } from "../model/workload.ts";
import type { Model } from "../schema/catalog.ts";
import type { ModelAxes, SweepSpec } from "../schema/spec.ts";
import { expandAxis, type AxisSpec } from "./axes.ts";
import type { WorkloadChoice } from "./plan.ts";
import { INTEGER_MODEL_AXES } from "./size.ts";

export const AXIS_ORDER: Array<keyof ModelAxes> = [
  "dense_features",
  "embedding_dim",
  "pooling",
  "table_count_scale",
  "embedding_total_gb",
  "mlp_width_scale",
  "zipf_alpha",
  "embedding_precision",
];

export function workloadsOf(model: Model, sweep: ModelAxes | undefined): WorkloadChoice[] {
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
export function duplicateWorkloads(parsed: ParsedFile): string[] {
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
        `${parsed.where(["models", i])}: models[${i}]: model '${id}' again: workload '${w.label}' is also given by ` +
          `models[${prior}] at ${parsed.where(["models", prior])} (expected each model once: put all of its axis ` +
          "values in one entry's sweep)",
      );
      return;
    }
  });
  return out;
}

/**
 * output.report_workloads entries that name no workload: each must be a workload label or part of one (the report
 * picks the workloads whose labels contain it), else the report would open on nothing it was asked for.
 */
export function reportWorkloadProblems(parsed: ParsedFile, labels: readonly string[]): string[] {
  const wanted = (parsed.data as { output?: { report_workloads?: unknown[] } }).output?.report_workloads ?? [];
  return wanted.flatMap((w, i) =>
    typeof w !== "string" || labels.some((l) => l.includes(w))
      ? []
      : [
          `${parsed.where(["output", "report_workloads", i])}: output.report_workloads[${i}]: '${w}' is in no ` +
            `workload's label${didYouMean(w, labels)} (expected a label or part of one: ${labels.join(", ")})`,
        ],
  );
}
