// Each workload's total size: what a user checks first (is this the model I meant?), stated by run and check and
// recorded in manifest.json.
import { buildWorkload } from "../model/workload.ts";
import { BYTES_PER } from "../model/units.ts";
import type { Plan } from "./plan.ts";

export interface WorkloadSize {
  workload: string;
  /** tables in the workload (after table_count_scale) */
  tables: number;
  /** rows of every table together */
  embedding_rows: number;
  /** the tables' weights at the workload's embedding precision, GB (1e9 bytes) */
  embedding_gb: number;
  /** the weights plus the embedding optimizer's state (docs/cost-model.md eq. E0), GB */
  embedding_with_optimizer_state_gb: number;
  /** parameters outside the tables: bottom and top MLPs and DCNv2 cross layers (weights and biases, eq. C1, C2) */
  dense_params: number;
}

const round = (x: number) => Number(x.toPrecision(6));

/** The size of every workload of the plan, in the plan's workload order. */
export function workloadSizes(plan: Pick<Plan, "workloads">): WorkloadSize[] {
  return plan.workloads.map((choice) => {
    const w = buildWorkload(choice.model, choice.axes);
    const bytesPer = BYTES_PER[choice.axes.embedding_precision ?? "fp32"] ?? 4;
    const weightBytes = w.groups.reduce((a, g) => a + g.count * g.rows * g.dim * bytesPer, 0);
    return {
      workload: choice.label,
      tables: w.tables,
      embedding_rows: w.groups.reduce((a, g) => a + g.count * g.rows, 0),
      embedding_gb: round(weightBytes / 1e9),
      embedding_with_optimizer_state_gb: round(w.embBytes / 1e9),
      dense_params: w.denseParams,
    };
  });
}

/** "dlrm-mlperf-v1: 26 tables, 882M rows, 112.9 GB of embeddings (113.2 GB with optimizer state), 2.31M dense
 *  parameters": one line per workload, at most `max` lines then "... and N more". */
export function workloadSizeLines(sizes: readonly WorkloadSize[], max = 8): string[] {
  const lines = sizes
    .slice(0, max)
    .map(
      (s) =>
        `  ${s.workload}: ${s.tables} tables, ${count(s.embedding_rows)} rows, ${gb(s.embedding_gb)} of embeddings ` +
        `(${gb(s.embedding_with_optimizer_state_gb)} with optimizer state), ${count(s.dense_params)} dense parameters`,
    );
  if (sizes.length > max) lines.push(`  ... and ${sizes.length - max} more workloads (manifest.json workload_sizes)`);
  return lines;
}

function count(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toPrecision(3)}G`;
  if (n >= 1e6) return `${(n / 1e6).toPrecision(3)}M`;
  if (n >= 1e4) return `${(n / 1e3).toPrecision(3)}k`;
  return String(n);
}

function gb(x: number): string {
  return x >= 100 ? `${Math.round(x)} GB` : x >= 1 ? `${x.toPrecision(3)} GB` : `${(x * 1e3).toPrecision(3)} MB`;
}
