// Fits the model's efficiency parameters to measurements by minimising the squared log error of predictions.
// Few parameters, each with a physical meaning and bounds; rows of the same runs share one observation's weight;
// a weak pull toward the prior keeps parameters the data cannot identify at their physical prior values.
import type { Catalog } from "../catalog/load.ts";
import type { buildNodeModel } from "../model/node.ts";
import { PRIOR_PARAMS, type ModelParams } from "../model/params.ts";
import type { Tco } from "../schema/catalog.ts";
import type { MeasurementRow } from "./measurements.ts";
import { nelderMead } from "./nelder-mead.ts";
import { PARAMETER_RANGES, softwareEfficiencyRange } from "./ranges.ts";
import { predictRow, prepareRows, type PreparedRow } from "./predict.ts";
import { RELEASE_DATES } from "./job.ts";

type Scale = "unit" | "log";
interface ParamSpec {
  path: string[];
  lo: number;
  hi: number;
  scale: Scale;
}

/** The fitted parameters. Others keep their prior value (docs/calibration.md says why). */
export function fittedParameters(stacks: readonly string[]): ParamSpec[] {
  const specs: ParamSpec[] = PARAMETER_RANGES.filter((r) => r.fitted).map((r) => ({
    path: [r.name],
    lo: r.lo,
    hi: r.hi,
    scale: r.scale,
  }));
  for (const s of stacks)
    specs.push({ path: ["software", s, "efficiency"], ...softwareEfficiencyRange(s), scale: "unit" });
  return specs;
}

const get = (p: ModelParams, path: string[]) =>
  path.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], p) as number;
function set(p: ModelParams, path: string[], v: number): void {
  const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], p) as Record<
    string,
    number
  >;
  parent[path[path.length - 1]!] = v;
}
const clone = (p: ModelParams): ModelParams => JSON.parse(JSON.stringify(p)) as ModelParams;

// Unconstrained coordinates: logit of the position in [lo, hi], or log for log-scaled parameters.
function toX(v: number, s: ParamSpec): number {
  if (s.scale === "log") return Math.log(Math.min(s.hi, Math.max(s.lo, v)));
  const t = Math.min(1 - 1e-6, Math.max(1e-6, (v - s.lo) / (s.hi - s.lo)));
  return Math.log(t / (1 - t));
}
function fromX(x: number, s: ParamSpec): number {
  if (s.scale === "log") return Math.min(s.hi, Math.max(s.lo, Math.exp(x)));
  return s.lo + (s.hi - s.lo) / (1 + Math.exp(-x));
}

/** Rows that report the same runs (notes: "same system and runs as M...") form one observation. */
export function observationWeights(rows: readonly MeasurementRow[]): Map<string, number> {
  const parent = new Map<string, string>(rows.map((r) => [r.id, r.id]));
  const find = (a: string): string => {
    while (parent.get(a) !== a) a = parent.get(a)!;
    return a;
  };
  for (const r of rows) {
    const ids = (r.notes.match(/same system and runs as [^;]*/g) ?? []).join(" ").match(/M\d{3}/g) ?? [];
    for (const id of ids) if (parent.has(id)) parent.set(find(id), find(r.id));
  }
  const size = new Map<string, number>();
  for (const r of rows) size.set(find(r.id), (size.get(find(r.id)) ?? 0) + 1);
  return new Map(rows.map((r) => [r.id, 1 / size.get(find(r.id))!]));
}

export const PRIOR_WEIGHT = 0.02;

export interface FitResult {
  params: ModelParams;
  used: string[];
  objectiveBefore: number;
  objectiveAfter: number;
}

/** Fits on the rows the model can predict. Deterministic: fixed start, fixed simplex, fixed iteration count. */
export function fitParams(
  rows: MeasurementRow[],
  cat: Catalog,
  tco: Tco,
  psNode: ReturnType<typeof buildNodeModel>,
  start: ModelParams = PRIOR_PARAMS,
  effort: { iterations: number; restarts: number } = { iterations: 4000, restarts: 6 },
): FitResult {
  const prepared = prepareRows(rows, cat, start).filter((p) => p.job !== null);
  const weights = observationWeights(prepared.map((p) => p.row));
  // A release gets its own stack when the rows hold at least two systems of it (so efficiency and overhead are
  // separable); the rest of a framework's rows share "<framework>@other".
  const systemsOf = new Map<string, Set<string>>();
  for (const p of prepared) {
    const j = p.job!;
    const key = `${j.parts.accelerator?.id ?? j.parts.cpu.id} x${j.parts.accelerators_per_node} x${j.nodes}`;
    systemsOf.set(j.software, (systemsOf.get(j.software) ?? new Set()).add(key));
  }
  // releases folded into "<framework>@other" keep an entry of their own in the fit (a copy of @other), so a release
  // the fit has never seen is told apart from one it folded (softwareFit interpolates the unseen ones by date)
  const folded = new Map<string, string>();
  for (const p of prepared)
    if (systemsOf.get(p.job!.software)!.size < 2) {
      folded.set(p.job!.software, `${p.job!.framework}@other`);
      p.job!.software = `${p.job!.framework}@other`;
    }
  const base = clone(start);
  for (const p of prepared) base.software[p.job!.software] ??= { ...base.software[p.job!.framework]! };
  const stacks = [...new Set(prepared.map((p) => p.job!.software))].sort();
  const specs = fittedParameters(stacks);
  const x0 = specs.map((s) => toX(get(base, s.path), s));
  const paramsAt = (x: number[]) => {
    const p = clone(base);
    specs.forEach((s, i) => set(p, s.path, fromX(x[i]!, s)));
    return p;
  };
  const loss = (x: number[]) => {
    const p = paramsAt(x);
    let sum = 0;
    for (const r of prepared) {
      const pred = predictRow(r, p, tco, psNode).predicted;
      const e = pred === null ? 5 : Math.log(pred / Number(r.row.value));
      sum += weights.get(r.row.id)! * e * e;
    }
    for (let i = 0; i < x.length; i++) sum += PRIOR_WEIGHT * (x[i]! - x0[i]!) ** 2;
    return sum;
  };
  const before = loss(x0);
  const { x, value } = nelderMead(loss, x0, { step: 0.7, ...effort, tol: 1e-12 });
  const params = paramsAt(x);
  for (const [release, other] of folded) params.software[release] = { ...params.software[other]! };
  // Sweeps name a framework ("hugectr"): it stands for the framework's most recent fitted release.
  for (const fw of new Set(prepared.map((p) => p.job!.framework))) {
    const releases = stacks.filter((s) => s.startsWith(`${fw}@`)).sort(compareReleases);
    if (releases.length) params.software[fw] = { ...params.software[releases[releases.length - 1]!]! };
  }
  return { params, used: prepared.map((p) => p.row.id), objectiveBefore: before, objectiveAfter: value };
}

export type { PreparedRow };

/** Orders stacks by their release date ("@other" first): "hugectr@v0.7" < "pytorch@dle-2022" < "hugectr@v4.0". */
export function compareReleases(a: string, b: string): number {
  const date = (s: string) => RELEASE_DATES[s.split("@")[1] ?? ""] ?? 0;
  return date(a) - date(b) || a.localeCompare(b);
}
