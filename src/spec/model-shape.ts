// Notes on models as swept that DLRM would not train as written, or whose interaction settings change nothing: said
// by check and run (the plan's notes), and the workloads are scored as given.
import { scaleCounts } from "../model/workload.ts";
import type { WorkloadChoice } from "./plan.ts";

/** The widths a workload's interaction sees, after its axes (embedding_dim, mlp_width_scale, table_count_scale). */
function widths(w: WorkloadChoice) {
  const { model, axes } = w;
  const scale = axes.mlp_width_scale ?? 1;
  const last = model.bottom_mlp[model.bottom_mlp.length - 1];
  const bottomOut =
    last === undefined ? (axes.dense_features ?? model.dense_features) : Math.max(1, Math.round(last * scale));
  const counts = scaleCounts(
    model.tables.map((g) => g.count),
    axes.table_count_scale ?? 1,
  );
  const dims = model.tables.map((g) => axes.embedding_dim ?? g.dim ?? model.embedding_dim);
  return {
    bottom: last === undefined ? `dense_features (${bottomOut})` : `the bottom MLP's output (${bottomOut})`,
    bottomOut,
    dims: [...new Set(dims.filter((_, i) => counts[i]! > 0))],
    // eq. C2: the cross layers' width, the concatenated vectors
    d: bottomOut + dims.reduce((a, dim, i) => a + counts[i]! * dim, 0),
  };
}

/**
 * Per model: a dot interaction over vectors of different widths (it takes dot products of the bottom MLP's output with
 * every pooled embedding, so all need one width: Naumov et al., arXiv:1906.00091, section 2); a DCNv2 rank so high
 * that U V (2 d r parameters) is no smaller than a full-rank W (d²), i.e. r >= d / 2 (Wang et al., DCN V2, WWW 2021);
 * cross-layer settings on an interaction without cross layers; a top MLP that does not end in one output (the
 * click-through logit). Each note names the first workload it applies to and how many more of that model do.
 */
export function modelShapeNotes(workloads: readonly WorkloadChoice[]): string[] {
  const found = new Map<string, { label: string; text: string; more: number }>();
  const note = (w: WorkloadChoice, kind: string, text: string) => {
    const key = `${w.model.id}\u0000${kind}`;
    const seen = found.get(key);
    if (seen) seen.more++;
    else found.set(key, { label: w.label, text, more: 0 });
  };
  for (const w of workloads) {
    const m = w.model,
      kind = m.interaction.kind;
    const { bottom, bottomOut, dims, d } = widths(w);
    if (kind === "dot" && (dims.length > 1 || dims[0] !== bottomOut))
      note(
        w,
        "dot",
        `a dot interaction needs ${bottom} and every table's embedding dim (${dims.join(", ")}) to be equal`,
      );
    const r = m.interaction.low_rank;
    if (kind === "dcnv2" && r !== undefined && 2 * r >= d)
      note(
        w,
        "rank",
        `interaction.low_rank ${r} is at least half the cross layers' width (${d}): U V has no fewer ` +
          "parameters than a full-rank layer",
      );
    for (const field of ["cross_layers", "low_rank"] as const)
      if (kind !== "dcnv2" && m.interaction[field] !== undefined)
        note(w, field, `interaction.${field} has no effect on a ${kind} interaction (only dcnv2 has cross layers)`);
    const last = m.top_mlp[m.top_mlp.length - 1]!;
    if (last !== 1) note(w, "top", `the top MLP ends in ${last} outputs (a click-through model ends in 1)`);
  }
  return [...found.values()].map(({ label, text, more }) => {
    const others = more ? ` (and ${more} more workload${more === 1 ? "" : "s"} of the model)` : "";
    return `models: '${label}'${others}: ${text}; scored as given`;
  });
}
