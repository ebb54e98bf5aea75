// Scores a contiguous range of design-point indices. Results are flat typed arrays, independent of how the
// index space is split, so any split merges to the same frontier and the same rows.
import { evaluatePoint } from "../model/evaluate.ts";
import { C, INFEASIBLE_REASONS, NCOLS } from "../model/result.ts";
import type { Objective } from "../schema/spec.ts";
import type { ScoringContext } from "./context.ts";
import { Frontier } from "./pareto.ts";

export interface RangeResult {
  start: number;
  end: number;
  reasonCounts: Float64Array;
  /** local frontier of the range: indices and their rows (k x NCOLS) */
  frontierIndex: Float64Array;
  frontierRows: Float64Array;
  /** feasible points in index order, when points are wanted */
  pointIndex: Float64Array | null;
  pointRows: Float64Array | null;
  /** per system: index of its best feasible point by the first objective (-1: none) and that point's row */
  bestIndex: Float64Array;
  bestRows: Float64Array;
  /** a deterministic sample of feasible points (see inSample), for plotting the cloud */
  sampleIndex: Float64Array;
  sampleRows: Float64Array;
  /** sensitivity: per workload, per value of every axis (concatenated), the best first objective; -Inf if none */
  axisBest: Float64Array;
}

/**
 * Whether point `index` belongs to the plotting sample: a multiplicative hash of the index compared with `rate`,
 * so the sample is the same whatever the split and holds about rate x feasible points.
 */
export function inSample(index: number, rate: number): boolean {
  if (rate >= 1) return true;
  const h = Math.imul(index >>> 0, 2654435761) >>> 0; // index >>> 0 is index mod 2^32 (ToUint32)
  return h / 4294967296 < rate;
}

/** Plotting sample size the report aims for. */
export const SAMPLE_TARGET = 4000;
export const sampleRate = (total: number) => Math.min(1, SAMPLE_TARGET / Math.max(1, total));

/** Column and sign of each objective: value = sign x row[column] (every objective is maximised). */
export function objectiveColumns(objectives: readonly Objective[]): { col: Int32Array; sign: Float64Array } {
  const col = new Int32Array(objectives.length), sign = new Float64Array(objectives.length);
  objectives.forEach((o, k) => {
    const neg = o.startsWith("neg_");
    col[k] = C[(neg ? o.slice(4) : o) as keyof typeof C];
    sign[k] = neg ? -1 : 1;
  });
  return { col, sign };
}

/** Objective value of a scored row; every objective is maximised. */
export function objectiveValue(row: Float64Array, o: number, objective: Objective): number {
  switch (objective) {
    case "samples_per_joule": return row[o + C.samples_per_joule]!;
    case "samples_per_usd": return row[o + C.samples_per_usd]!;
    case "throughput_samples_per_s": return row[o + C.throughput_samples_per_s]!;
    case "neg_time_to_train_h": return -row[o + C.time_to_train_h]!;
    case "neg_cost_per_run_usd": return -row[o + C.cost_per_run_usd]!;
  }
}

/** Mixed-radix digits of `index`, outermost axis first. */
export function indexToCoords(index: number, radix: readonly number[]): number[] {
  const coords = new Array<number>(radix.length);
  let rest = index;
  for (let k = radix.length - 1; k >= 0; k--) {
    coords[k] = rest % radix[k]!;
    rest = Math.floor(rest / radix[k]!);
  }
  return coords;
}

/** Moves mixed-radix coordinates to the next index (last axis fastest), in place. */
export function nextCoords(d: number[], radix: readonly number[]): void {
  for (let k = radix.length - 1; k >= 0; k--) {
    if (++d[k]! < radix[k]!) return;
    d[k] = 0;
  }
}

export function coordsToIndex(coords: readonly number[], radix: readonly number[]): number {
  let index = 0;
  for (let k = 0; k < radix.length; k++) index = index * radix[k]! + coords[k]!;
  return index;
}

/** Scores one point into out[o..]; returns its infeasibility code. */
export function scoreIndexInto(ctx: ScoringContext, d: readonly number[], out: Float64Array, o: number): number {
  const w = d[0]!, s = d[1]!, n = d[2]!, pl = d[3]!, b = d[4]!, pr = d[5]!;
  const env = ctx.env;
  env.denseStateBytesPerParam = ctx.denseStateOf[w]!;
  return evaluatePoint(out, o, ctx.nodes[s]!, ctx.workload(w), ctx.tiers(w, s, n), ctx.nodeCounts[n]!, ctx.placementOf[pl]!,
    ctx.batchOf[b]!, ctx.precisionOf[pr]!, ctx.psNodesOf[pl]!, env, ctx.params);
}

/**
 * Scores `count` points spread evenly over the whole index space and discards them. A fresh thread otherwise meets
 * the model's branches (CPU or GPU node, each placement, each precision) one at a time as its range reaches them,
 * and the optimising compiler recompiles the evaluator after each; on 2 cores, with both threads busy, the first
 * pass of a fresh thread measured a third of its warm speed, and one such pass is all a worker ever runs.
 */
export function warmUp(ctx: ScoringContext, count = 5000): void {
  const total = ctx.radix.reduce((a, b) => a * b, 1);
  const n = Math.min(count, total);
  const scratch = new Float64Array(NCOLS);
  for (let i = 0; i < n; i++) scoreIndexInto(ctx, indexToCoords(Math.floor(((i + 0.5) * total) / n), ctx.radix), scratch, 0);
}

/**
 * `seen` (optional): per workload, frontier points this thread found in earlier ranges. They only reject
 * dominated points early (a point dominated by anything already seen cannot be on the global frontier); they
 * are not returned again, so merging stays exact for any split.
 */
export function scoreRange(ctx: ScoringContext, start: number, end: number, wantPoints: boolean, seen?: Map<number, Frontier>): RangeResult {
  const radix = ctx.radix;
  const objectives = ctx.plan.objectives;
  const count = end - start;
  const reasonCounts = new Float64Array(INFEASIBLE_REASONS.length);
  const frontiers = new Map<number, Frontier>();
  const rows = wantPoints ? new Float64Array(count * NCOLS) : null;
  const pointIndex = wantPoints ? new Float64Array(count) : null;
  let kept = 0;
  const scratch = new Float64Array(NCOLS);
  const obj = new Float64Array(objectives.length);
  const { col: objCol, sign: objSign } = objectiveColumns(objectives);
  const nObj = objectives.length;
  const S = ctx.plan.systems.length;
  const rate = sampleRate(radix.reduce((a, b) => a * b, 1));
  const sampleIdx: number[] = [];
  const sampleRows: number[] = [];
  // sensitivity: offsets of each axis's values in one row of the per-workload table
  const axisOffset: number[] = [];
  let width = 0;
  for (const r of radix) { axisOffset.push(width); width += r; }
  const axisBest = new Float64Array(radix[0]! * width).fill(-Infinity);
  const bestIndex = new Float64Array(S).fill(-1);
  const bestValue = new Float64Array(S).fill(-Infinity);
  const bestRows = new Float64Array(S * NCOLS);
  const d = indexToCoords(start, radix);
  // the current workload's frontiers, looked up again only when the workload changes
  let frontierW = -1, frontier = new Frontier(), seenFrontier: Frontier | undefined;
  for (let index = start; index < end; index++) {
    const code = scoreIndexInto(ctx, d, scratch, 0);
    reasonCounts[code]! += 1;
    if (code === 0) {
      if (rows && pointIndex) {
        rows.set(scratch, kept * NCOLS);
        pointIndex[kept] = index;
        kept++;
      }
      for (let k = 0; k < nObj; k++) obj[k] = objSign[k]! * scratch[objCol[k]!]!;
      const base = d[0]! * width;
      for (let k = 0; k < radix.length; k++) {
        const cell = base + axisOffset[k]! + d[k]!;
        if (obj[0]! > axisBest[cell]!) axisBest[cell] = obj[0]!;
      }
      if (inSample(index, rate)) { sampleIdx.push(index); for (let c = 0; c < NCOLS; c++) sampleRows.push(scratch[c]!); }
      const sys = d[1]!;
      if (obj[0]! > bestValue[sys]!) { bestValue[sys] = obj[0]!; bestIndex[sys] = index; bestRows.set(scratch, sys * NCOLS); }
      if (d[0] !== frontierW) {
        frontierW = d[0]!;
        frontier = frontiers.get(frontierW) ?? new Frontier();
        frontiers.set(frontierW, frontier);
        seenFrontier = seen?.get(frontierW);
      }
      if (!frontier.isDominated(obj) && !seenFrontier?.isDominated(obj)) frontier.offer({ index, objectives: obj.slice(), row: scratch.slice() });
    }
    nextCoords(d, radix);
  }
  if (seen) {
    for (const [w, f] of frontiers) {
      let s = seen.get(w);
      if (!s) { s = new Frontier(); seen.set(w, s); }
      for (const p of f.points) s.offer(p);
    }
  }
  const all = [...frontiers.values()].flatMap((f) => f.points);
  const frontierIndex = new Float64Array(all.length);
  const frontierRows = new Float64Array(all.length * NCOLS);
  all.forEach((p, i) => { frontierIndex[i] = p.index; frontierRows.set(p.row, i * NCOLS); });
  return {
    start, end, reasonCounts, frontierIndex, frontierRows,
    pointIndex: pointIndex ? pointIndex.slice(0, kept) : null,
    pointRows: rows ? rows.slice(0, kept * NCOLS) : null,
    bestIndex, bestRows,
    sampleIndex: Float64Array.from(sampleIdx), sampleRows: Float64Array.from(sampleRows), axisBest,
  };
}
