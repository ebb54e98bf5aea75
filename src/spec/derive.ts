// What-if parts: a catalog part with some figures scaled (`x1.5`) or set (a number), each one value or a list
// (docs/hardware-axes.md). Every variant gets its own id (`h100-sxm5-80gb+bw1.5x`) and is marked derived.
import { didYouMean } from "../input/suggest.ts";
import { DERIVE_FIGURES } from "../schema/vocab.ts";

export type DeriveFigureName = (typeof DERIVE_FIGURES)[number];
export interface DeriveSpec {
  derive: { from: string } & Partial<Record<DeriveFigureName, number | string | Array<number | string>>>;
}

/** Short names of figures in derived ids. */
const ABBR: Record<DeriveFigureName, string> = {
  memory_capacity_gb: "mem",
  memory_bandwidth_gb_per_s: "bw",
  peak_tflops_fp32: "fp32",
  peak_tflops_tf32: "tf32",
  peak_tflops_fp16_bf16: "fp16",
  peak_tflops_fp8: "fp8",
  scale_up_link_gb_per_s_bidirectional: "nvl",
  host_link_gb_per_s_per_direction: "hl",
  line_rate_gbit_per_s: "rate",
  memory_bandwidth_gb_per_s_per_socket: "dram",
  cores: "cores",
  tdp_w: "tdp",
  idle_w: "idle",
  active_w: "active",
  price_usd: "usd",
};

/** Figures that are not performance: price and power. */
const COST_FIGURES = new Set<string>(["price_usd", "tdp_w", "idle_w", "active_w"]);
/** The peak-power figure a what-if of this part must state when it changes performance. */
const powerFigure = (base: Record<string, unknown>) => ("active_w" in base ? "active_w" : "tdp_w");

export const isDerive = (v: unknown): v is DeriveSpec =>
  !!v && typeof v === "object" && !Array.isArray(v) && "derive" in (v as object);

const listOf = (v: number | string | Array<number | string>) => (Array.isArray(v) ? v : [v]);

/** How many variants a derive stands for, without building them. */
export function deriveCount(spec: DeriveSpec): number {
  let n = 1;
  for (const f of DERIVE_FIGURES) {
    const v = spec.derive[f];
    if (v !== undefined) n *= listOf(v).length;
  }
  return n;
}

export interface DerivedPart {
  id: string;
  part: Record<string, unknown>;
  /** false when every figure equals the catalog part's (the catalog part itself) */
  derived: boolean;
}

/**
 * Problems with a derive against its catalog part (`base`, undefined when `from` is unknown; `ids`: the kind's ids,
 * for the message then).
 */
export function deriveProblems(
  spec: DeriveSpec,
  base: Record<string, unknown> | undefined,
  kind: string,
  ids: readonly string[] = [],
): string[] {
  const d = spec.derive;
  if (!base) {
    const valid = [...ids].sort().join(", ");
    return [`derive.from: unknown ${kind} id '${d.from}'${didYouMean(d.from, ids)} (expected one of: ${valid})`];
  }
  const out: string[] = [];
  const given = DERIVE_FIGURES.filter((f) => d[f] !== undefined);
  const allowed = FIELDS_BY_KIND[kind];
  for (const f of given) {
    if (allowed && !allowed.includes(f)) {
      // a figure the kind does not have: nothing else about it is worth saying
      out.push(`derive.${f}: not a figure of ${kind} (expected: ${allowed.join(", ")})`);
      continue;
    }
    const values = listOf(d[f]!);
    if (typeof base[f] !== "number" && values.some((v) => typeof v === "string"))
      out.push(`derive.${f}: '${d.from}' has no ${f} to scale (expected a value, not a factor)`);
    // x2 and x2.0 are one factor: a list names each value once, as numeric axes do
    const keys = values.map((v) => (typeof v === "string" ? `x${Number(v.slice(1))}` : String(v)));
    const twice = keys.findIndex((k, i) => keys.indexOf(k) !== i);
    if (twice >= 0)
      out.push(`derive.${f}[${twice}]: '${values[twice]}' repeats an earlier value (expected each value once)`);
    const zero = values.find((v) => typeof v === "string" && Number(v.slice(1)) === 0);
    if (zero !== undefined) out.push(`derive.${f}: factor '${zero}' (expected a factor > 0, such as x0.5 or x2)`);
  }
  // a figure of another kind changes nothing of this part: it does not ask for price and power
  const changesPerformance = given.some((f) => !COST_FIGURES.has(f) && (!allowed || allowed.includes(f)));
  if (changesPerformance) {
    for (const f of ["price_usd", powerFigure(base)] as const) {
      if (d[f] === undefined)
        out.push(
          `derive.${f}: a what-if part that changes performance must state ${f} ` +
            "(x1 keeps the catalog figure; it is never copied silently: docs/hardware-axes.md)",
        );
    }
  }
  return out;
}

const FIELDS_BY_KIND: Record<string, DeriveFigureName[]> = {
  accelerators: [
    "memory_capacity_gb",
    "memory_bandwidth_gb_per_s",
    "peak_tflops_fp32",
    "peak_tflops_tf32",
    "peak_tflops_fp16_bf16",
    "peak_tflops_fp8",
    "scale_up_link_gb_per_s_bidirectional",
    "host_link_gb_per_s_per_direction",
    "tdp_w",
    "idle_w",
    "price_usd",
  ],
  cpus: ["memory_bandwidth_gb_per_s_per_socket", "cores", "tdp_w", "idle_w", "price_usd"],
  nics: ["line_rate_gbit_per_s", "active_w", "idle_w", "price_usd"],
};

/** The derive kinds a compose field may take. */
export const DERIVABLE_KINDS = Object.keys(FIELDS_BY_KIND);

const round = (v: number) => Number(v.toPrecision(12));

/**
 * Every variant of a derive (product of its figures' lists, in DERIVE_FIGURES order). Idle power not given scales
 * with the peak-power figure (idle stays the same share of peak). Assumes deriveProblems found nothing.
 */
export function expandDerive(spec: DeriveSpec, base: Record<string, unknown>): DerivedPart[] {
  const d = spec.derive;
  const given = DERIVE_FIGURES.filter((f) => d[f] !== undefined);
  let combos: Array<Array<[DeriveFigureName, number | string]>> = [[]];
  for (const f of given)
    combos = combos.flatMap((c) => listOf(d[f]!).map((v) => [...c, [f, v] as [DeriveFigureName, number | string]]));
  return combos.map((combo) => {
    const part: Record<string, unknown> = { ...base };
    const marks: string[] = [];
    const derivedNotes: Record<string, string> = {};
    for (const [f, v] of combo) {
      const old = base[f] as number | undefined;
      const value = typeof v === "string" ? round(old! * Number(v.slice(1))) : v;
      if (value === old) continue;
      part[f] = value;
      marks.push(`${ABBR[f]}${typeof v === "string" ? `${Number(v.slice(1))}x` : value}`);
      derivedNotes[f] =
        `what-if: ${typeof v === "string" ? `${v.slice(1)} x` : "set, was"} ${d.from}'s ${old ?? "none"}`;
    }
    const peak = powerFigure(base);
    if (part[peak] !== base[peak] && d.idle_w === undefined && typeof base.idle_w === "number") {
      part.idle_w = round((base.idle_w * (part[peak] as number)) / (base[peak] as number));
      derivedNotes.idle_w = `what-if rule: idle power scales with ${peak} (same share of peak)`;
    }
    if (marks.length === 0) return { id: d.from, part: base, derived: false };
    const id = `${d.from}+${marks.join("+")}`;
    part.id = id;
    part.name = `${base.name as string} (what-if: ${marks.join(", ")})`;
    part.derived = { ...((base.derived as Record<string, string>) ?? {}), ...derivedNotes };
    return { id, part, derived: true };
  });
}
