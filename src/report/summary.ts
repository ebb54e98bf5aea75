// The answer at a glance: per workload and objective, the best system, its margin over the runner-up system, the
// winning configuration and its bottleneck, from a run folder's rows. Pure (no I/O): the report's summary table and
// the CLI's end-of-run lines are both this summary.
//
// Exactness. The best point on one objective is always on the Pareto frontier, so the winner is exact from
// frontier.csv alone. The runner-up system's best point need not be: another system's point may dominate it. Its
// value is exact when the folder holds every feasible point (points.csv or a sample that kept every point), or,
// for the first objective, from sensitivity.csv (best first objective per system and workload). Otherwise the
// points in the folder give a lower bound on each system's best, hence an upper bound on the margin ("at most").
import { objectiveColumnName } from "../schema/vocab.ts";

export type Row = Record<string, string | number>;

export interface SummaryInput {
  objectives: readonly string[];
  /** workloads in sweep order (manifest axes); those missing from every file still get rows */
  workloads: readonly string[];
  /** systems swept (manifest axes) */
  systems: readonly string[];
  frontier: readonly Row[];
  /** further feasible points: the plotting sample, or each system's best points read from points.csv */
  others: readonly Row[];
  /** frontier and others together hold each system's best point per workload on every objective */
  complete: boolean;
  /** sensitivity.csv rows (workload, axis, value, best_<first objective>) */
  sensitivity: readonly Row[];
}

export type Margin =
  /** the runner-up system's best is known exactly */
  | { kind: "exact"; pct: number; runnerUp: string; runnerUpValue: number }
  /** only a lower bound on the runner-up's best is in the folder: the margin is at most pct */
  | { kind: "at-most"; pct: number; runnerUp: string; runnerUpValue: number }
  /** no other system swept, or none feasible on this workload (exact), or nothing known of the others */
  | { kind: "alone" | "none-feasible" | "unknown" };

export interface SummaryRow {
  workload: string;
  objective: string;
  /** the winning point (a frontier row), or null: no feasible point on this workload */
  winner: Row | null;
  system: string;
  /** the objective's column value of the winner (a time or cost for neg_ objectives, not negated) */
  value: number;
  margin: Margin;
}

/** What an objective reads, in words and units; `lower` when smaller is better (neg_ objectives). */
export function objectiveInfo(objective: string): {
  column: string;
  sign: 1 | -1;
  name: string;
  unit: string;
  lower: boolean;
} {
  const { column, sign } = objectiveColumnName(objective);
  const known: Record<string, [string, string]> = {
    samples_per_joule: ["samples per joule", "samples/J"],
    samples_per_usd: ["samples per USD", "samples/USD"],
    throughput_samples_per_s: ["throughput", "samples/s"],
    time_to_train_h: ["time to train", "h"],
    cost_per_run_usd: ["cost per run", "USD"],
  };
  const [name, unit] = known[column] ?? [column.replace(/_/g, " "), ""];
  return { column, sign, name, unit, lower: sign < 0 };
}

/** The value to maximise (sign x column), NaN when the field is empty. */
function score(row: Row, column: string, sign: number): number {
  const v = row[column];
  return v === "" || v === undefined ? Number.NaN : sign * Number(v);
}

/** Margin in % of the runner-up's value: how much more (or, for a time or cost, how much less) the winner gives. */
export function marginPct(winner: number, runnerUp: number, lower: boolean): number {
  return lower ? (100 * (runnerUp - winner)) / runnerUp : (100 * (winner - runnerUp)) / runnerUp;
}

export function summarise(input: SummaryInput): SummaryRow[] {
  const byWorkload = (rows: readonly Row[]) => {
    const m = new Map<string, Row[]>();
    for (const r of rows) {
      const w = String(r.workload);
      if (!m.has(w)) m.set(w, []);
      m.get(w)!.push(r);
    }
    return m;
  };
  const frontier = byWorkload(input.frontier);
  const others = byWorkload(input.others);
  const sensKey = Object.keys(input.sensitivity[0] ?? {}).find((k) => k.startsWith("best_"));
  // sensitivity.csv's system rows by workload, grouped once (a sweep of many node designs has millions of them)
  const systemRows = new Map<string, Row[]>();
  if (sensKey)
    for (const r of input.sensitivity) {
      if (r.axis !== "system") continue;
      const w = String(r.workload);
      const list = systemRows.get(w);
      if (list) list.push(r);
      else systemRows.set(w, [r]);
    }
  const workloads = [...new Set([...input.workloads, ...frontier.keys()])];
  const systems = [...new Set([...input.systems, ...input.frontier.map((r) => String(r.system))])];
  const out: SummaryRow[] = [];
  for (const w of workloads) {
    const front = frontier.get(w) ?? [];
    const known = [...front, ...(others.get(w) ?? [])];
    // sensitivity.csv's system rows: each system's exact best first objective on w; an empty one means the system
    // has no feasible point on w, whatever the objective
    const bySystem = systemRows.get(w) ?? [];
    const infeasible = bySystem.filter((r) => r[sensKey!] === "").map((r) => String(r.value));
    input.objectives.forEach((objective, k) => {
      const { column, sign, lower } = objectiveInfo(objective);
      let winner: Row | null = null;
      let best = -Infinity;
      for (const r of front) {
        const v = score(r, column, sign);
        if (v > best) [winner, best] = [r, v];
      }
      if (!winner) {
        out.push({
          workload: w,
          objective,
          winner: null,
          system: "",
          value: Number.NaN,
          margin: { kind: "none-feasible" },
        });
        return;
      }
      const system = String(winner.system);
      // each other system's best: exact, or a lower bound from the points in the folder
      const bound = new Map<string, number>();
      for (const r of known) {
        const s = String(r.system),
          v = score(r, column, sign);
        if (s !== system && Number.isFinite(v) && v > (bound.get(s) ?? -Infinity)) bound.set(s, v);
      }
      const exact = new Set<string>(input.complete ? systems : infeasible);
      if (k === 0) {
        for (const r of bySystem) {
          if (String(r.value) === system || r[sensKey!] === "") continue;
          exact.add(String(r.value));
          bound.set(String(r.value), Number(r[sensKey!]));
        }
      }
      const rivals = systems.filter((s) => s !== system);
      let margin: Margin;
      if (!rivals.length) margin = { kind: "alone" };
      else if (!bound.size) margin = { kind: rivals.every((s) => exact.has(s)) ? "none-feasible" : "unknown" };
      else {
        const [runnerUp, v] = [...bound].reduce((a, b) => (b[1] > a[1] ? b : a));
        const runnerUpValue = sign * v;
        const pct = marginPct(sign * best, runnerUpValue, lower);
        margin = { kind: rivals.every((s) => exact.has(s)) ? "exact" : "at-most", pct, runnerUp, runnerUpValue };
      }
      out.push({ workload: w, objective, winner, system, value: sign * best, margin });
    });
  }
  return out;
}

/** The winner's configuration in words: nodes, placement (with parameter servers), batch and precision. */
/**
 * Whether a point's throughput has measurements behind every aspect (frontier.csv's `extrapolated` and `unmeasured`
 * columns): "calibrated", "extrapolated (accelerator+placement)", or "" for a folder without the columns.
 */
export function calibrationText(r: Row): string {
  if (r.extrapolated === undefined || r.extrapolated === "") return "";
  return Number(r.extrapolated) === 1 ? `extrapolated (${String(r.unmeasured).replaceAll("+", ", ")})` : "calibrated";
}

export function configText(r: Row): string {
  const ps = r.ps_nodes !== "" && r.ps_nodes !== undefined ? ` (${r.ps_nodes} ps)` : "";
  const nodes = `${r.nodes} node${Number(r.nodes) === 1 ? "" : "s"}`;
  return `${nodes}, ${r.embedding_placement}${ps}, batch ${r.batch_size}, ${r.precision}`;
}

/** Four significant digits, thousands grouped, SI prefixes from a million: 4735.66 -> "4,736", 1.58e10 -> "15.82 G". */
export function valueText(v: number): string {
  if (!Number.isFinite(v)) return "";
  const a = Math.abs(v);
  for (const [p, f] of [
    ["T", 1e12],
    ["G", 1e9],
    ["M", 1e6],
  ] as const) {
    if (a >= f) return `${Number((v / f).toPrecision(4))} ${p}`;
  }
  return groupedText(Number(v.toPrecision(4)));
}

/**
 * toLocaleString("en-US", { maximumFractionDigits: 12 }) of `v`. For 1e-6 <= |v| < 1e6 whose shortest round-trip
 * text (String, fixed notation there) has at most 12 fraction digits (valueText's 4 significant digits always do),
 * that text with its integer digits grouped by three; anything else (zero, -0, smaller or larger values, more
 * digits) through Intl, whose first NumberFormat costs ~12 ms of a small run (ICU's locale data), made only then.
 */
export function groupedText(v: number): string {
  const a = Math.abs(v);
  const text = String(a);
  const dot = text.indexOf(".");
  if (!(a >= 1e-6 && a < 1e6) || (dot >= 0 && text.length - dot - 1 > 12))
    return (GROUPED ??= new Intl.NumberFormat("en-US", { maximumFractionDigits: 12 })).format(v);
  const int = dot < 0 ? text : text.slice(0, dot);
  const grouped = int.length > 3 ? `${int.slice(0, int.length - 3)},${int.slice(int.length - 3)}` : int;
  return `${v < 0 ? "-" : ""}${grouped}${dot < 0 ? "" : text.slice(dot)}`;
}

let GROUPED: Intl.NumberFormat | undefined;

/** A value with its unit: "4,736 samples/J", "15.82 G samples/USD". */
export const quantityText = (v: number, unit: string) => `${valueText(v)}${unit ? ` ${unit}` : ""}`;

const pctText = (p: number) => (Number.isFinite(p) ? `${p.toFixed(p !== 0 && Math.abs(p) < 1 ? 2 : 1)} %` : "∞ %");

/** The margin in words, e.g. "+12.3 % over dgx-h100 (4,212 samples/J)" or "at most +12.3 % over ...". */
export function marginText(row: SummaryRow): string {
  const m = row.margin;
  const { unit, lower } = objectiveInfo(row.objective);
  switch (m.kind) {
    case "alone":
      return "the only system swept";
    case "none-feasible":
      return row.winner ? "no other system has a feasible point" : "";
    case "unknown":
      return "runner-up not in the folder (no other system's point on the frontier or in the sample)";
    default: {
      const what = `${lower ? "" : "+"}${pctText(m.pct)}${lower ? " less than" : " over"} ${m.runnerUp}`;
      const ref = quantityText(m.runnerUpValue, unit);
      return m.kind === "exact"
        ? `${what} (${ref})`
        : `at most ${what} (${ref}, the best other point in the folder; the runner-up's best may be off the frontier)`;
    }
  }
}
