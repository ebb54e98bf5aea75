// Plausibility warnings: catalog figures outside the range of any real part (an HBM bandwidth of 8 GB/s, an idle
// power above the TDP) are almost always a wrong unit or a typo. Warnings, not errors: future parts may exceed
// today's. The ranges and their sources are documented in hardware/README.md ("Plausibility ranges").
import { sortByPosition } from "../input/errors.ts";
import type { CatalogKind } from "../schema/vocab.ts";
import { withUnit } from "./figures.ts";

/** A public figure of a real part outside the catalog that widens a range; `source` names where it is published. */
interface PublicFigure {
  value: number;
  part: string;
  source: string;
}

interface FigureCheck {
  kind: CatalogKind;
  field: string;
  /** public figures below / above the built-in catalog's extremes (none: the catalog's own extreme is the bound) */
  low?: PublicFigure;
  high?: PublicFigure;
}

/** How far past the lowest and highest real figure a value may lie before it is implausible: 2x either way. */
export const PLAUSIBLE_MARGIN = 2;

const T4 = "NVIDIA T4 datasheet (nvidia.com/en-us/data-center/tesla-t4)";
const B200 = "NVIDIA DGX B200 datasheet (nvidia.com/en-us/data-center/dgx-b200), per GPU";
export const FIGURE_CHECKS: readonly FigureCheck[] = [
  {
    kind: "accelerators",
    field: "memory_capacity_gb",
    high: { value: 288, part: "AMD Instinct MI355X", source: "AMD Instinct MI355X product page (amd.com)" },
  },
  {
    kind: "accelerators",
    field: "memory_bandwidth_gb_per_s",
    low: { value: 320, part: "NVIDIA T4", source: T4 },
    high: { value: 8000, part: "NVIDIA B200", source: B200 },
  },
  { kind: "accelerators", field: "peak_tflops_fp32", low: { value: 8.1, part: "NVIDIA T4", source: T4 } },
  {
    kind: "accelerators",
    field: "peak_tflops_fp16_bf16",
    low: { value: 65, part: "NVIDIA T4", source: T4 },
    high: { value: 2250, part: "NVIDIA B200", source: B200 },
  },
  { kind: "accelerators", field: "peak_tflops_fp8", high: { value: 4500, part: "NVIDIA B200", source: B200 } },
  {
    kind: "accelerators",
    field: "scale_up_link_gb_per_s_bidirectional",
    high: { value: 1800, part: "NVIDIA B200 (NVLink 5)", source: B200 },
  },
  {
    kind: "accelerators",
    field: "host_link_gb_per_s_per_direction",
    high: { value: 128, part: "PCIe 6.0 x16", source: "PCI-SIG PCI Express 6.0 specification (64 GT/s per lane)" },
  },
  {
    kind: "accelerators",
    field: "tdp_w",
    low: { value: 70, part: "NVIDIA T4", source: T4 },
    high: { value: 1000, part: "NVIDIA B200", source: B200 },
  },
  { kind: "accelerators", field: "price_usd" },
  {
    kind: "cpus",
    field: "cores",
    low: { value: 4, part: "Intel Xeon Gold 5222", source: "Intel ARK, Xeon Gold 5222" },
    high: { value: 192, part: "AMD EPYC 9965", source: "AMD EPYC 9965 product page (amd.com)" },
  },
  { kind: "cpus", field: "base_ghz" },
  {
    kind: "cpus",
    field: "memory_bandwidth_gb_per_s_per_socket",
    high: {
      value: 614.4,
      part: "AMD EPYC 9005 (12 x DDR5-6400)",
      source: "AMD EPYC 9005 series product brief (amd.com)",
    },
  },
  {
    kind: "cpus",
    field: "tdp_w",
    high: { value: 500, part: "AMD EPYC 9965", source: "AMD EPYC 9965 product page (amd.com)" },
  },
  { kind: "cpus", field: "price_usd" },
  { kind: "links", field: "gb_per_s_per_direction" },
  {
    kind: "nics",
    field: "line_rate_gbit_per_s",
    low: { value: 10, part: "10 Gigabit Ethernet", source: "IEEE 802.3ae" },
    high: {
      value: 800,
      part: "NVIDIA ConnectX-8 SuperNIC",
      source: "NVIDIA ConnectX-8 SuperNIC datasheet (nvidia.com)",
    },
  },
  {
    kind: "storage",
    field: "sequential_read_gb_per_s",
    high: {
      value: 14,
      part: "PCIe 5.0 NVMe SSD (Samsung PM1743: 13 GB/s)",
      source: "Samsung PM1743 product page (semiconductor.samsung.com)",
    },
  },
  { kind: "systems", field: "host_memory_gb" },
  {
    kind: "systems",
    field: "max_power_w",
    high: {
      value: 14300,
      part: "NVIDIA DGX B200",
      source: "NVIDIA DGX B200 datasheet (nvidia.com/en-us/data-center/dgx-b200)",
    },
  },
];

/** Idle power as a share of full power: above the highest real share (times the margin) is implausible. */
export const RATIO_CHECKS: ReadonlyArray<{ kind: CatalogKind; idle: string; full: string }> = [
  { kind: "accelerators", idle: "idle_w", full: "tdp_w" },
  { kind: "cpus", idle: "idle_w", full: "tdp_w" },
  { kind: "nics", idle: "idle_w", full: "active_w" },
  { kind: "storage", idle: "idle_w", full: "active_w" },
];

export interface PlausibleRange {
  lo: number;
  hi: number;
  /** why: the lowest and highest real figure and where each is from */
  why: string;
}

export type Entries = Record<CatalogKind, Map<string, unknown>>;
const num = (e: unknown, f: string) => {
  const v = (e as Record<string, unknown>)[f];
  return typeof v === "number" && v > 0 ? v : undefined;
};

/** The plausible range of one figure: the built-in catalog's sourced extremes and the public figures beyond them,
 *  widened by PLAUSIBLE_MARGIN either way. Undefined when no built-in entry gives the figure. */
export function plausibleRange(check: FigureCheck, builtIn: Entries): PlausibleRange | undefined {
  // computed once per figure and catalog: a catalog's warnings ask for it once per entry
  let ranges = rangeCache.get(builtIn);
  if (!ranges) rangeCache.set(builtIn, (ranges = new Map()));
  if (!ranges.has(check)) ranges.set(check, computeRange(check, builtIn));
  return ranges.get(check);
}

const rangeCache = new WeakMap<Entries, Map<FigureCheck, PlausibleRange | undefined>>();

function computeRange(check: FigureCheck, builtIn: Entries): PlausibleRange | undefined {
  const known = [...builtIn[check.kind].entries()].flatMap(([id, e]) => {
    const v = num(e, check.field);
    return v === undefined ? [] : [{ value: v, part: id, source: "built-in catalog" }];
  });
  if (!known.length) return undefined;
  const sorted = known.sort((a, b) => a.value - b.value);
  const low = check.low && check.low.value < sorted[0]!.value ? check.low : sorted[0]!;
  const high = check.high && check.high.value > sorted.at(-1)!.value ? check.high : sorted.at(-1)!;
  const f = (p: PublicFigure) => `${p.part} ${withUnit(check.field, p.value)}, ${p.source}`;
  return {
    lo: low.value / PLAUSIBLE_MARGIN,
    hi: high.value * PLAUSIBLE_MARGIN,
    why: `lowest real: ${f(low)}; highest: ${f(high)}; ${PLAUSIBLE_MARGIN}x either way`,
  };
}

/**
 * Why `value` of `kind`.`field` is implausible ("V is outside any real part's range, LO to HI (why)"), or undefined
 * when it lies in the range or the field has no check.
 */
export function figureVerdict(kind: CatalogKind, field: string, value: number, builtIn: Entries): string | undefined {
  const check = FIGURE_CHECKS.find((c) => c.kind === kind && c.field === field);
  const range = check && plausibleRange(check, builtIn);
  if (!range || !(value > 0) || (value >= range.lo && value <= range.hi)) return undefined;
  const bounds = `${withUnit(field, Number(range.lo.toPrecision(4)))} to ${withUnit(field, range.hi)}`;
  return `${withUnit(field, value)} is outside any real part's range, ${bounds} (${range.why})`;
}

const topShares = new WeakMap<Entries, Map<CatalogKind, { share: number; id: string } | undefined>>();

/** The built-in part of kind r.kind that idles at the highest share of its full power (computed once per catalog). */
function topIdleShare(r: (typeof RATIO_CHECKS)[number], builtIn: Entries): { share: number; id: string } | undefined {
  let byKind = topShares.get(builtIn);
  if (!byKind) topShares.set(builtIn, (byKind = new Map()));
  if (!byKind.has(r.kind)) {
    const shares = [...builtIn[r.kind].values()].flatMap((e) => {
      const i = (e as Record<string, unknown>)[r.idle];
      const f = num(e, r.full);
      return typeof i === "number" && f ? [{ share: i / f, id: (e as { id: string }).id }] : [];
    });
    byKind.set(r.kind, shares.length ? shares.reduce((a, b) => (b.share > a.share ? b : a)) : undefined);
  }
  return byKind.get(r.kind);
}

/**
 * Why a part's idle power is implausible against its full power (RATIO_CHECKS), with the idle field's name, or
 * undefined when it is not.
 */
export function idleVerdict(
  kind: CatalogKind,
  part: unknown,
  builtIn: Entries,
): { field: string; text: string } | undefined {
  const r = RATIO_CHECKS.find((c) => c.kind === kind);
  if (!r) return undefined;
  const top = topIdleShare(r, builtIn);
  if (!top) return undefined;
  const hi = Math.min(1, top.share * PLAUSIBLE_MARGIN);
  const i = (part as Record<string, unknown>)[r.idle];
  const f = num(part, r.full);
  if (typeof i !== "number" || !f || i / f <= hi) return undefined;
  return {
    field: r.idle,
    text:
      `${withUnit(r.idle, i)} is ${(i / f).toPrecision(3)} x its ${r.full} of ${withUnit(r.full, f)}; no real part ` +
      `idles above ${hi.toPrecision(2)} x (highest in the built-in catalog: ${top.id}, ` +
      `${top.share.toPrecision(2)} x; ${PLAUSIBLE_MARGIN}x that, at most 1)`,
  };
}

/**
 * Every figure of `entries` outside its plausible range, as "AT: kind 'id'.field: ... (a warning: ...)" messages;
 * `at(kind, id, field)` gives the position to name. The built-in entries define the ranges and raise none.
 */
export function plausibilityWarnings(
  entries: Entries,
  builtIn: Entries,
  at: (kind: CatalogKind, id: string, field: string) => string,
): string[] {
  const out: string[] = [];
  const tell = (kind: CatalogKind, id: string, field: string, what: string) =>
    out.push(`${at(kind, id, field)}: ${kind} '${id}'.${field}: ${what} (a warning: check the figure and its unit)`);
  for (const check of FIGURE_CHECKS) {
    for (const [id, e] of entries[check.kind]) {
      const v = num(e, check.field);
      const verdict = v === undefined ? undefined : figureVerdict(check.kind, check.field, v, builtIn);
      if (verdict) tell(check.kind, id, check.field, verdict);
    }
  }
  for (const r of RATIO_CHECKS)
    for (const [id, e] of entries[r.kind]) {
      const verdict = idleVerdict(r.kind, e, builtIn);
      if (verdict) tell(r.kind, id, verdict.field, verdict.text);
    }
  return out;
}

/** The plausibility warnings of a loaded catalog (built-in and --catalog entries, after overrides), positioned at
 *  the figure's key, or at the override that set it. */
export function catalogWarnings(
  cat: {
    builtIn?: Entries;
    fieldOriginOf?: (kind: CatalogKind, id: string, field: string) => string | undefined;
  } & Entries,
): string[] {
  const builtIn = cat.builtIn ?? cat;
  return sortByPosition(
    plausibilityWarnings(cat, builtIn, (k, id, f) => cat.fieldOriginOf?.(k, id, f) ?? `catalog ${k} '${id}'`),
  );
}
