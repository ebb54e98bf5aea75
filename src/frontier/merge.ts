// What a scored index range hands back (RangeResult), and how range results merge (in any order, any split) into
// one sweep's result: frontier per workload, counts per reason, best point per system, the plotting sample and the
// best first objective along every axis. Pure: no I/O, no threads.
import { INFEASIBLE_REASONS, NCOLS } from "../model/result.ts";
import { axisValueCount, pointsPerWorkload, radices } from "../space/space.ts";
import type { Plan } from "../spec/plan.ts";
import { objectiveValue } from "./objectives.ts";
import { Frontier, type FrontierPoint } from "./pareto.ts";

/** Example indices kept per system and infeasibility reason (the engine's EXAMPLES). */
export const REASON_EXAMPLES = 3;

const exampleScratch = new Float64Array(2 * REASON_EXAMPLES);
/**
 * Keeps in mine[at .. at+REASON_EXAMPLES) the lowest indices of it and theirs[from .. from+REASON_EXAMPLES) (each
 * ascending, -1 for none): allocation-free, since it runs for every system and reason of every range.
 */
function lowestExamples(mine: Float64Array, theirs: Float64Array, at: number, from = at): void {
  if (!(theirs[from]! >= 0)) return; // nothing to add
  let n = 0;
  for (let e = 0; e < REASON_EXAMPLES; e++) {
    if (mine[at + e]! >= 0) exampleScratch[n++] = mine[at + e]!;
    if (theirs[from + e]! >= 0) exampleScratch[n++] = theirs[from + e]!;
  }
  const both = exampleScratch.subarray(0, n).sort();
  for (let e = 0; e < REASON_EXAMPLES; e++) mine[at + e] = e < n ? both[e]! : -1;
}

export interface RangeResult {
  start: number;
  end: number;
  reasonCounts: Float64Array;
  /**
   * per system x reason (INFEASIBLE_REASONS order): infeasible points, and their first few indices (-1: none);
   * dense (systems x reasons, and x REASON_EXAMPLES), or sparse when `systemReasonAt` is given
   */
  systemReasonCounts: Float64Array;
  reasonExamples: Float64Array;
  /**
   * sparse form (engine ranges): the system x reason cell of each entry of systemReasonCounts (and of each
   * REASON_EXAMPLES entries of reasonExamples), ascending; cells not listed hold no points
   */
  systemReasonAt?: Int32Array;
  /** local frontier of the range: indices and their rows (k x NCOLS) */
  frontierIndex: Float64Array;
  frontierRows: Float64Array;
  /** feasible points in index order, when points are wanted */
  pointIndex: Float64Array | null;
  pointRows: Float64Array | null;
  /** those points as output bytes, when the sweep has a points encoder; rows then null */
  pointBytes: Uint8Array | null;
  /**
   * per system: index of its best feasible point by the first objective (-1: none) and that point's row
   * (k x NCOLS); sparse when `bestAt` is given: entry i is then system bestAt[i]'s
   */
  bestIndex: Float64Array;
  bestRows: Float64Array;
  bestAt?: Int32Array;
  /** a deterministic sample of feasible points (see sampleCandidates), for plotting the cloud */
  sampleIndex: Float64Array;
  sampleRows: Float64Array;
  /**
   * sensitivity: for the workloads axisBestFrom, axisBestFrom + 1, ... that the range touches, per value of every
   * axis (concatenated), the best first objective; -Inf if none
   */
  axisBestFrom: number;
  axisBest: Float64Array;
  /** pruned ranges (engine/prune.ts): points skipped because their block's bounds could not reach the frontier */
  boundedPoints?: number;
}

export interface SweepResult {
  /** points of the ranges covered (scored or, when pruning, bounded away) */
  pointsScored: number;
  /** of those, points skipped by bounds (pruning); 0 without pruning */
  boundedPoints: number;
  reasonCounts: Float64Array;
  /** per system x reason: infeasible points; and per system x reason x EXAMPLES, the lowest indices (-1: none) */
  systemReasonCounts: Float64Array;
  reasonExamples: Float64Array;
  /** frontier points of every workload, workload by workload in deterministic order */
  frontier: FrontierPoint[];
  /** per system: best feasible point by the first objective */
  best: Array<{ index: number; row: Float64Array } | null>;
  /** plotting sample of feasible points, in index order */
  sample: Array<{ index: number; row: Float64Array }>;
  /** per workload x (values of every axis): best first objective (-Infinity where no feasible point) */
  axisBest: Float64Array;
  workers: number;
}

/** Merges range results (in any order) into frontier, counts and bests; identical for any split. */
export class Merger {
  readonly reasonCounts = new Float64Array(INFEASIBLE_REASONS.length);
  readonly systemReasonCounts: Float64Array;
  readonly reasonExamples: Float64Array;
  private readonly frontiers = new Map<number, Frontier>();
  readonly best: Array<{ index: number; row: Float64Array; value: number } | null>;
  pointsScored = 0;
  boundedPoints = 0;
  readonly sample: Array<{ index: number; row: Float64Array }> = [];
  /** per workload x (values of every axis): best first objective */
  readonly axisBest: Float64Array;
  /** points per workload: the index's outermost digit is index / perWorkload */
  private readonly perWorkload: number;
  /** one workload's row of axisBest */
  private readonly axisWidth: number;
  constructor(private readonly plan: Plan) {
    const radix = radices(plan);
    this.best = plan.systems.map(() => null);
    this.systemReasonCounts = new Float64Array(plan.systems.length * INFEASIBLE_REASONS.length);
    this.reasonExamples = new Float64Array(this.systemReasonCounts.length * REASON_EXAMPLES).fill(-1);
    this.perWorkload = pointsPerWorkload(radix);
    this.axisWidth = axisValueCount(radix);
    this.axisBest = new Float64Array(plan.workloads.length * this.axisWidth).fill(-Infinity);
  }
  private workloadOf(index: number): number {
    return Math.floor(index / this.perWorkload);
  }
  add(r: RangeResult): void {
    this.pointsScored += r.end - r.start;
    this.boundedPoints += r.boundedPoints ?? 0;
    for (let i = 0; i < r.sampleIndex.length; i++) {
      this.sample.push({ index: r.sampleIndex[i]!, row: r.sampleRows.slice(i * NCOLS, (i + 1) * NCOLS) });
    }
    const all = this.axisBest;
    const offset = r.axisBestFrom * this.axisWidth;
    for (let k = 0; k < r.axisBest.length; k++) if (r.axisBest[k]! > all[offset + k]!) all[offset + k] = r.axisBest[k]!;
    for (let k = 0; k < r.reasonCounts.length; k++) this.reasonCounts[k]! += r.reasonCounts[k]!;
    this.addSystemReasons(r);
    const objectives = this.plan.objectives;
    for (let i = 0; i < r.frontierIndex.length; i++) {
      const row = r.frontierRows.slice(i * NCOLS, (i + 1) * NCOLS);
      const obj = new Float64Array(objectives.map((o) => objectiveValue(row, 0, o)));
      const w = this.workloadOf(r.frontierIndex[i]!);
      let f = this.frontiers.get(w);
      if (!f) {
        f = new Frontier();
        this.frontiers.set(w, f);
      }
      f.offer({ index: r.frontierIndex[i]!, objectives: obj, row });
    }
    for (let i = 0; i < r.bestIndex.length; i++) {
      const index = r.bestIndex[i]!;
      if (index < 0) continue;
      const s = r.bestAt ? r.bestAt[i]! : i;
      const row = r.bestRows.slice(i * NCOLS, (i + 1) * NCOLS);
      const value = objectiveValue(row, 0, objectives[0]!);
      const cur = this.best[s];
      if (!cur || value > cur.value || (value === cur.value && index < cur.index)) this.best[s] = { index, row, value };
    }
  }
  /** Counts and examples per system and reason, dense or sparse (`systemReasonAt`). */
  private addSystemReasons(r: RangeResult): void {
    const at = r.systemReasonAt;
    if (at) {
      for (let i = 0; i < at.length; i++) {
        this.systemReasonCounts[at[i]!]! += r.systemReasonCounts[i]!;
        lowestExamples(this.reasonExamples, r.reasonExamples, at[i]! * REASON_EXAMPLES, i * REASON_EXAMPLES);
      }
      return;
    }
    for (let k = 0; k < this.systemReasonCounts.length; k++) {
      this.systemReasonCounts[k]! += r.systemReasonCounts[k] ?? 0;
      // the lowest indices of both, so any split and order keeps the same examples
      if (r.reasonExamples) lowestExamples(this.reasonExamples, r.reasonExamples, k * REASON_EXAMPLES);
    }
  }
  result(workers: number): SweepResult {
    return {
      pointsScored: this.pointsScored,
      boundedPoints: this.boundedPoints,
      reasonCounts: this.reasonCounts,
      systemReasonCounts: this.systemReasonCounts,
      reasonExamples: this.reasonExamples,
      frontier: this.frontier(),
      best: this.best.map((b) => (b ? { index: b.index, row: b.row } : null)),
      sample: [...this.sample].sort((a, b) => a.index - b.index),
      axisBest: this.axisBest,
      workers,
    };
  }
  frontier(): FrontierPoint[] {
    return [...this.frontiers.keys()].sort((a, b) => a - b).flatMap((w) => this.frontiers.get(w)!.sorted());
  }
}
