// Scores a contiguous range of design-point indices. Results are flat typed arrays, independent of how the
// index space is split, so any split merges to the same frontier and the same rows.
import { evaluatePoint } from "../model/evaluate.ts";
import { C, INFEASIBLE_REASONS, NCOLS } from "../model/result.ts";
import type { Objective } from "../schema/spec.ts";
import type { ScoringContext } from "./context.ts";
import { Frontier, type FrontierPoint } from "./pareto.ts";

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
  /** those points as output bytes, when the sweep has a points encoder (SweepOptions.pointsEncoder); rows then null */
  pointBytes: Uint8Array | null;
  /** per system: index of its best feasible point by the first objective (-1: none) and that point's row */
  bestIndex: Float64Array;
  bestRows: Float64Array;
  /** a deterministic sample of feasible points (see sampleCandidates), for plotting the cloud */
  sampleIndex: Float64Array;
  sampleRows: Float64Array;
  /**
   * sensitivity: for the workloads axisBestFrom, axisBestFrom + 1, ... that the range touches, per value of every
   * axis (concatenated), the best first objective; -Inf if none
   */
  axisBestFrom: number;
  axisBest: Float64Array;
}

/** Plotting sample size the report aims for. */
export const SAMPLE_TARGET = 4000;

/**
 * Candidates for the plotting sample in [start, end): one index in each block of `stride` = total / SAMPLE_TARGET
 * indices, at an offset hashed from the block number (so the sample spreads over every axis, not one stride apart).
 * A pure function of the index, so the sample is the same whatever the split; about SAMPLE_TARGET candidates in all,
 * of which the feasible ones are kept.
 */
export function sampleCandidates(start: number, end: number, total: number): number[] {
  const stride = Math.max(1, Math.floor(total / SAMPLE_TARGET));
  const out: number[] = [];
  for (let block = Math.floor(start / stride); block * stride < end; block++) {
    const i = block * stride + (Math.imul(block, 2654435761) >>> 0) % stride;
    if (i >= start && i < end) out.push(i);
  }
  return out;
}

/** Column and sign of an objective: value = sign x row[column] (every objective is maximised; "neg_x" is -x). */
function objectiveColumn(objective: Objective): { col: number; sign: number } {
  const neg = objective.startsWith("neg_");
  return { col: C[(neg ? objective.slice(4) : objective) as keyof typeof C], sign: neg ? -1 : 1 };
}

/** objectiveColumn of each objective, as typed arrays for the hot loop. */
export function objectiveColumns(objectives: readonly Objective[]): { col: Int32Array; sign: Float64Array } {
  const cs = objectives.map(objectiveColumn);
  return { col: Int32Array.from(cs, (c) => c.col), sign: Float64Array.from(cs, (c) => c.sign) };
}

/** Objective value of a scored row; every objective is maximised. */
export function objectiveValue(row: Float64Array, o: number, objective: Objective): number {
  const { col, sign } = objectiveColumn(objective);
  return sign * row[o + col]!;
}

/**
 * Mixed-radix digits of `index`, outermost axis first. An Int32Array: the scoring loop reads coordinates on every
 * point, and a plain array could hold them as doubles or small integers depending on how they were computed, which
 * made the optimised code deoptimise when the two met.
 */
export function indexToCoords(index: number, radix: readonly number[]): Int32Array {
  const coords = new Int32Array(radix.length);
  let rest = index;
  for (let k = radix.length - 1; k >= 0; k--) {
    coords[k] = rest % radix[k]!;
    rest = Math.floor(rest / radix[k]!);
  }
  return coords;
}

/** Moves mixed-radix coordinates to the next index (last axis fastest), in place. */
export function nextCoords(d: Int32Array, radix: readonly number[]): void {
  for (let k = radix.length - 1; k >= 0; k--) {
    if (++d[k]! < radix[k]!) return;
    d[k] = 0;
  }
}

export function coordsToIndex(coords: ArrayLike<number>, radix: readonly number[]): number {
  let index = 0;
  for (let k = 0; k < radix.length; k++) index = index * radix[k]! + coords[k]!;
  return index;
}

/** Scores one point into out[o..]; returns its infeasibility code. */
export function scoreIndexInto(ctx: ScoringContext, d: Int32Array, out: Float64Array, o: number): number {
  const w = d[0]!, s = d[1]!, n = d[2]!, pl = d[3]!, b = d[4]!, pr = d[5]!;
  return evaluatePoint(out, o, ctx.nodes[s]!, ctx.workload(w), ctx.tiers(w, s, n), ctx.nodeCounts[n]!, ctx.placementOf[pl]!,
    ctx.batchOf[b]!, ctx.precisionOf[pr]!, ctx.psNodesOf[pl]!, ctx.env, ctx.params);
}

/**
 * Warms a fresh thread's compiled code before it scores its ranges. The optimising compiler specialises the model
 * and the bookkeeping on the paths it has seen; a path met later (another placement, a CPU node, a table too big
 * for a node's memory, the first parameter-server point) throws the optimised code away, and the thread runs
 * several times slower until the model is compiled again (50-100 ms of compiling, on a core the other thread needs).
 * Measured on 2 cores: without a warm-up the first million points of each worker ran at a third of its later speed,
 * and one such pass is all a worker of a 10^7-point sweep runs.
 * So, twice (the second pass meets, with optimised code, the rare paths the first met before it was optimised):
 * every combination of system, placement and node count, each with a workload drawn from the smallest, middle and
 * largest of each model's sweep, a batch size drawn by a hash and every precision, through the loop ranges run
 * (`scoreInto`, a few points per call, so V8 compiles that loop as a function, not on-stack-replaced mid-range), with
 * rows kept when the run keeps them; then one short range from start to finish. Results are discarded.
 */
export function warmUp(ctx: ScoringContext, wantPoints: boolean): void {
  const radix = ctx.radix;
  const total = radix.reduce((a, b) => a * b, 1);
  const workloads = warmUpWorkloads(ctx);
  const precisions = radix[5]!;
  const combos = radix[1]! * radix[2]! * radix[3]!;
  const d = new Int32Array(radix.length);
  const draw = (i: number, salt: number, n: number) => Math.floor(((Math.imul(i * 8 + salt, 2654435761) >>> 0) / 4294967296) * n);
  for (let pass = 0; pass < 2; pass++) {
    const acc = new RangeAccumulator(ctx, 0, total, wantPoints, new Map(), combos * precisions);
    for (let i = 0; i < combos; i++) {
      let rest = i;
      for (const k of [1, 3, 2]) { d[k] = rest % radix[k]!; rest = Math.floor(rest / radix[k]!); } // system fastest
      d[0] = workloads[draw(i, 1 + pass, workloads.length)]!;
      d[4] = draw(i, 3 + pass, radix[4]!);
      d[5] = 0;
      const start = coordsToIndex(d, radix);
      scoreInto(acc, ctx, start, start + precisions); // every precision of this point
    }
    // and a short range from start to finish, for the code that ends a range
    const from = coordsToIndex(d, radix);
    scoreRange(ctx, from, Math.min(total, from + 512), wantPoints, new Map());
  }
}

/** Workload indices for the warm-up: the first, middle and last of each model's sweep (tables small to large). */
function warmUpWorkloads(ctx: ScoringContext): number[] {
  const byModel = new Map<string, number[]>();
  ctx.plan.workloads.forEach((w, i) => { const l = byModel.get(w.model.id) ?? []; l.push(i); byModel.set(w.model.id, l); });
  const out = new Set<number>();
  for (const l of byModel.values()) for (const at of [0, Math.floor(l.length / 2), l.length - 1]) out.add(l[at]!);
  return [...out];
}

/**
 * What a range keeps of its feasible points: counts, local frontier per workload, best point per system, the
 * plotting sample, best first objective per axis value, and (when wanted) every row. `add` runs once per feasible
 * point and keeps only indices and objective values; the rows of the few points kept (frontier, bests, sample)
 * are scored again in `finish` (the model is pure, so the rows are the same), which keeps row copies and rare
 * branches out of the hot loop.
 */
class RangeAccumulator {
  readonly reasonCounts = new Float64Array(INFEASIBLE_REASONS.length);
  /** per workload: the thread's frontier so far (`seen`, when given) or this range's own */
  private readonly frontiers: Map<number, Frontier>;
  private readonly touched: number[] = [];
  private frontierW = -1;
  private frontier = new Frontier();
  private readonly rows: Float64Array | null;
  private readonly pointIndex: Float64Array | null;
  private kept = 0;
  private readonly obj: Float64Array;
  private readonly objCol: Int32Array;
  private readonly objSign: Float64Array;
  /** first workload of the range: row 0 of axisBest */
  private readonly firstWorkload: number;
  /** offsets of each axis's values in one workload's row of axisBest */
  private readonly axisOffset: Int32Array;
  private readonly width: number;
  private readonly axisBest: Float64Array;
  private readonly bestIndex: Float64Array;
  private readonly bestValue: Float64Array;
  /**
   * the current block of points sharing every axis before INNER_AXIS (workload, system, nodes, placement): its
   * index range, coordinates and best point; the outer axes' bests, the system's best and the workload's frontier
   * change only from block to block
   */
  private readonly blockSize: number;
  private blockStart = 0;
  private blockEnd = 0;
  private readonly blockCoords = new Int32Array(INNER_AXIS);
  private blockBest = -Infinity;
  private blockBestIndex = -1;

  /** `capacity`: most feasible points `add` will be given (default: the range's size) */
  constructor(private readonly ctx: ScoringContext, private readonly start: number, private readonly end: number, wantPoints: boolean,
    seen: Map<number, Frontier> | undefined, capacity = end - start) {
    const radix = ctx.radix;
    const count = capacity;
    this.frontiers = seen ?? new Map();
    this.rows = wantPoints ? new Float64Array(count * NCOLS) : null;
    this.pointIndex = wantPoints ? new Float64Array(count) : null;
    const { col, sign } = objectiveColumns(ctx.plan.objectives);
    this.objCol = col; this.objSign = sign;
    this.obj = new Float64Array(col.length);
    this.axisOffset = new Int32Array(radix.length);
    let width = 0;
    radix.forEach((r, k) => { this.axisOffset[k] = width; width += r; });
    this.width = width;
    // only the workloads the range touches: the outermost axis, so a contiguous run of them
    const perWorkload = radix.slice(1).reduce((a, b) => a * b, 1);
    this.firstWorkload = Math.floor(start / perWorkload);
    const workloads = end > start ? Math.floor((end - 1) / perWorkload) - this.firstWorkload + 1 : 0;
    this.axisBest = new Float64Array(workloads * width).fill(-Infinity);
    const S = ctx.plan.systems.length;
    this.bestIndex = new Float64Array(S).fill(-1);
    this.bestValue = new Float64Array(S).fill(-Infinity);
    this.blockSize = radix.slice(INNER_AXIS).reduce((a, b) => a * b, 1);
  }

  /** A feasible point: `d` its coordinates, `row` its scored row. */
  add(index: number, d: Int32Array, row: Float64Array): void {
    if (this.rows !== null && this.pointIndex !== null) {
      this.rows.set(row, this.kept * NCOLS);
      this.pointIndex[this.kept++] = index;
    }
    const obj = this.obj;
    for (let k = 0; k < obj.length; k++) obj[k] = this.objSign[k]! * row[this.objCol[k]!]!;
    const first = obj[0]!;
    // per-axis bests: the batch and precision cells change every point; the outer axes' cells only with the block
    // (workload, system, nodes, placement), so they take the block's best once, when it ends
    const best = this.axisBest, base = (d[0]! - this.firstWorkload) * this.width;
    for (let k = INNER_AXIS; k < d.length; k++) {
      const cell = base + this.axisOffset[k]! + d[k]!;
      if (first > best[cell]!) best[cell] = first;
    }
    if (index >= this.blockEnd || index < this.blockStart) this.startBlock(index, d);
    if (first > this.blockBest) { this.blockBest = first; this.blockBestIndex = index; }
    if (!this.frontier.isDominated(obj)) this.frontier.insert({ index, objectives: obj.slice(), row: NO_ROW });
  }

  private startBlock(index: number, d: Int32Array): void {
    this.endBlock();
    this.blockStart = index - (index % this.blockSize);
    this.blockEnd = this.blockStart + this.blockSize;
    this.blockBest = -Infinity;
    for (let k = 0; k < INNER_AXIS; k++) this.blockCoords[k] = d[k]!;
    if (d[0] !== this.frontierW) this.switchWorkload(d[0]!);
  }

  private endBlock(): void {
    if (this.blockEnd === 0) return;
    const base = (this.blockCoords[0]! - this.firstWorkload) * this.width;
    for (let k = 0; k < INNER_AXIS; k++) {
      const cell = base + this.axisOffset[k]! + this.blockCoords[k]!;
      if (this.blockBest > this.axisBest[cell]!) this.axisBest[cell] = this.blockBest;
    }
    // the system is fixed in a block: its best point so far (the first of equals, as blocks come in index order)
    const sys = this.blockCoords[1]!;
    if (this.blockBest > this.bestValue[sys]!) { this.bestValue[sys] = this.blockBest; this.bestIndex[sys] = this.blockBestIndex; }
  }

  private switchWorkload(w: number): void {
    this.frontierW = w;
    let f = this.frontiers.get(w);
    if (!f) { f = new Frontier(); this.frontiers.set(w, f); }
    this.frontier = f;
    this.touched.push(w);
  }

  /**
   * The range's result. Its frontier is the points of this range still on the frontier: with `seen`, points of
   * earlier ranges rejected the dominated ones early and stay out of the result (they were returned before).
   */
  finish(): RangeResult {
    this.endBlock();
    const all: FrontierPoint[] = [];
    for (const w of this.touched) {
      for (const p of this.frontiers.get(w)!.points) {
        if (p.index < this.start || p.index >= this.end) continue;
        if (p.row === NO_ROW) p.row = this.rowOf(p.index);
        all.push(p);
      }
    }
    const frontierIndex = new Float64Array(all.length);
    const frontierRows = new Float64Array(all.length * NCOLS);
    all.forEach((p, i) => { frontierIndex[i] = p.index; frontierRows.set(p.row, i * NCOLS); });
    const bestRows = new Float64Array(this.bestIndex.length * NCOLS);
    this.bestIndex.forEach((index, s) => { if (index >= 0) bestRows.set(this.rowOf(index), s * NCOLS); });
    const sample = this.sample();
    return {
      start: this.start, end: this.end, reasonCounts: this.reasonCounts, frontierIndex, frontierRows,
      pointIndex: this.pointIndex ? this.pointIndex.slice(0, this.kept) : null,
      pointRows: this.rows ? this.rows.slice(0, this.kept * NCOLS) : null,
      pointBytes: null,
      bestIndex: this.bestIndex, bestRows,
      sampleIndex: sample.index, sampleRows: sample.rows, axisBestFrom: this.firstWorkload, axisBest: this.axisBest,
    };
  }

  /** The feasible points among the range's sample candidates, with their rows. */
  private sample(): { index: Float64Array; rows: Float64Array } {
    const index: number[] = [], rows: number[] = [];
    const row = new Float64Array(NCOLS);
    for (const i of sampleCandidates(this.start, this.end, this.ctx.radix.reduce((a, b) => a * b, 1))) {
      if (scoreIndexInto(this.ctx, indexToCoords(i, this.ctx.radix), row, 0) !== 0) continue;
      index.push(i);
      for (let c = 0; c < NCOLS; c++) rows.push(row[c]!);
    }
    return { index: Float64Array.from(index), rows: Float64Array.from(rows) };
  }

  private rowOf(index: number): Float64Array {
    const row = new Float64Array(NCOLS);
    scoreIndexInto(this.ctx, indexToCoords(index, this.ctx.radix), row, 0);
    return row;
  }
}

/** Axes from this one on (batch size, precision) vary within a block; the ones before it are fixed in a block. */
const INNER_AXIS = 4;

/** Placeholder row of a frontier point until its range finishes and scores it again. */
const NO_ROW = new Float64Array(0);

/**
 * Scores points [start, end) in index order. `seen` (optional): per workload, the frontier of everything this thread
 * scored before, updated in place. Its points reject dominated points early (a point dominated by anything already
 * seen cannot be on the global frontier) and are not returned again, so merging stays exact for any split.
 */
export function scoreRange(ctx: ScoringContext, start: number, end: number, wantPoints: boolean, seen?: Map<number, Frontier>): RangeResult {
  const acc = new RangeAccumulator(ctx, start, end, wantPoints, seen);
  scoreInto(acc, ctx, start, end);
  return acc.finish();
}

/**
 * The hot loop, on its own: nothing follows it. A range's one long loop runs as on-stack-replaced code; code after the
 * loop that the interpreter has no fresh type feedback for (after V8 flushes the bytecode of a function that only ever
 * runs optimised, its feedback goes too) deoptimised it at the end of every other range, and each recompile cost
 * tens of milliseconds at a quarter of the speed: measured, a 10^8-point sweep lost about a tenth of its time so.
 */
function scoreInto(acc: RangeAccumulator, ctx: ScoringContext, start: number, end: number): void {
  const counts = acc.reasonCounts;
  const radix = ctx.radix;
  const row = new Float64Array(NCOLS);
  const d = indexToCoords(start, radix);
  for (let index = start; index < end; index++) {
    const code = scoreIndexInto(ctx, d, row, 0);
    counts[code]! += 1;
    if (code === 0) acc.add(index, d, row);
    nextCoords(d, radix);
  }
}
