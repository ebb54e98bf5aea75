// Settings a spec gives that change nothing, or change less than they seem to: said as notes by check and run (and
// kept in run-info.json), so a user learns why a sweep is smaller than written or a field had no effect.
import type { SweepSpec } from "../schema/spec.ts";
import { expandAxis, type RangeAxis } from "./axes.ts";

/** Range fields whose values are integers (counts and sizes): their ranges are rounded, which may merge values. */
const INTEGER_FIELDS = new Set([
  "nodes",
  "ps_nodes",
  "batch_size",
  "dense_features",
  "embedding_dim",
  "accelerators_per_node",
  "gpus_per_host_link",
  "cpu_sockets",
  "nics_per_node",
  "ssds_per_node",
]);

const isRange = (v: unknown): v is RangeAxis =>
  typeof v === "object" && v !== null && !Array.isArray(v) && "from" in v && "to" in v && "scale" in v;

/** Notes on one range at `label` (`field`: its key): ends written high to low, steps a pow2 range ignores, and
 *  integer steps that merge. */
function rangeNotes(range: RangeAxis, label: string, field: string): string[] {
  const out: string[] = [];
  if (typeof range.from !== "number" || typeof range.to !== "number") return out;
  if (range.from > range.to)
    out.push(`${label}: from ${range.from} is above to ${range.to}; the range ${range.to}..${range.from} is swept`);
  // 5 is the schema's default: a spec with its defaults written out is the same spec
  if (range.scale === "pow2" && range.steps !== undefined && range.steps !== 5)
    out.push(`${label}: steps ${range.steps} has no effect on a pow2 range (every power of two in it is swept)`);
  if (range.scale !== "pow2" && INTEGER_FIELDS.has(field)) {
    const asked = range.steps ?? 5;
    const got = expandAxis(range, true).length;
    if (got < asked) out.push(`${label}: ${asked} steps round to ${got} distinct integers`);
  }
  return out;
}

/** Every range of the spec (nodes, training, model axes, composes), with its display label and key. */
function* ranges(value: unknown, label: string, field: string): Generator<[RangeAxis, string, string]> {
  if (isRange(value)) {
    yield [value, label, field];
    return;
  }
  if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* ranges(v, `${label}[${i}]`, field);
  else if (typeof value === "object" && value !== null)
    for (const [k, v] of Object.entries(value)) yield* ranges(v, label ? `${label}.${k}` : k, k);
}

/**
 * Notes on settings of `spec` that have no effect or less than written (empty: none). `defaultProvider`: the
 * catalog's default cloud provider, which a spec may write out on any basis (filling in defaults changes nothing).
 */
export function ignoredSettingNotes(spec: SweepSpec, defaultProvider?: string): string[] {
  const out: string[] = [];
  for (const [range, label, field] of ranges(spec, "", "")) out.push(...rangeNotes(range, label, field));
  const placements = spec.placements as readonly string[];
  if (spec.ps_nodes !== undefined && !placements.includes("remote-ps"))
    out.push("ps_nodes: no effect without the remote-ps placement");
  if (spec.training.hbm_cache_share !== undefined && !placements.some((p) => p === "hbm-cache" || p === "hbm-split"))
    out.push("training.hbm_cache_share: no effect without the hbm-cache or hbm-split placement");
  const provider = spec.cost?.cloud_provider;
  if (provider !== undefined && provider !== defaultProvider && spec.cost?.basis !== "cloud")
    out.push("cost.cloud_provider: no effect on the capital basis (cost.basis: cloud prices by provider)");
  return out;
}
