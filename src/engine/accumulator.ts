// What a range keeps of the points it scores (see RangeAccumulator).
import { Frontier, type FrontierPoint } from "../frontier/pareto.ts";
import { REASON_EXAMPLES as EXAMPLES, type RangeResult } from "../frontier/merge.ts";
import { objectiveColumns } from "../frontier/objectives.ts";
import { sampleCandidates } from "../frontier/sample.ts";
import { INFEASIBLE_REASONS, NCOLS } from "../model/result.ts";
import {
  AXIS,
  INNER_AXIS,
  axisValueCount,
  axisValueOffsets,
  indexToCoords,
  pointsPerBlock,
  pointsPerWorkload,
  totalPoints,
} from "../space/space.ts";
import type { ScoringContext } from "./context.ts";
import { scoreIndexInto } from "./score.ts";

/**
 * What a range keeps of its feasible points: counts, local frontier per workload, best point per system, the
 * plotting sample, best first objective per axis value, and (when wanted) every row. `add` runs once per feasible
 * point and keeps only indices and objective values; the rows of the few points kept (frontier, bests, sample)
 * are scored again in `finish` (the model is pure, so the rows are the same), which keeps row copies and rare
 * branches out of the hot loop.
 */
export class RangeAccumulator {
  readonly reasonCounts = new Float64Array(INFEASIBLE_REASONS.length);
  /** per system x reason: points (feasible included, reason 0), and the first EXAMPLES indices of each (-1: none) */
  readonly systemReasonCounts: Float64Array;
  readonly reasonExamples: Float64Array;
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
  constructor(
    private readonly ctx: ScoringContext,
    private readonly start: number,
    private readonly end: number,
    wantPoints: boolean,
    seen: Map<number, Frontier> | undefined,
    capacity = end - start,
  ) {
    const radix = ctx.radix;
    const count = capacity;
    this.frontiers = seen ?? new Map();
    this.rows = wantPoints ? new Float64Array(count * NCOLS) : null;
    this.pointIndex = wantPoints ? new Float64Array(count) : null;
    const { col, sign } = objectiveColumns(ctx.plan.objectives);
    this.objCol = col;
    this.objSign = sign;
    this.obj = new Float64Array(col.length);
    this.axisOffset = axisValueOffsets(radix);
    this.width = axisValueCount(radix);
    // only the workloads the range touches: the outermost axis, so a contiguous run of them
    const perWorkload = pointsPerWorkload(radix);
    this.firstWorkload = Math.floor(start / perWorkload);
    const workloads = end > start ? Math.floor((end - 1) / perWorkload) - this.firstWorkload + 1 : 0;
    this.axisBest = new Float64Array(workloads * this.width).fill(-Infinity);
    const S = ctx.plan.systems.length;
    this.bestIndex = new Float64Array(S).fill(-1);
    this.bestValue = new Float64Array(S).fill(-Infinity);
    const cells = S * INFEASIBLE_REASONS.length;
    const reused = spare !== null && spare.counts.length === cells ? spare : null;
    spare = null;
    this.systemReasonCounts = reused ? reused.counts.fill(0) : new Float64Array(cells);
    this.reasonExamples = (reused ? reused.examples : new Float64Array(cells * EXAMPLES)).fill(-1);
    this.blockSize = pointsPerBlock(radix);
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
    const best = this.axisBest,
      base = (d[AXIS.workload]! - this.firstWorkload) * this.width;
    for (let k = INNER_AXIS; k < d.length; k++) {
      const cell = base + this.axisOffset[k]! + d[k]!;
      if (first > best[cell]!) best[cell] = first;
    }
    if (index >= this.blockEnd || index < this.blockStart) this.startBlock(index, d);
    if (first > this.blockBest) {
      this.blockBest = first;
      this.blockBestIndex = index;
    }
    if (!this.frontier.isDominated(obj)) this.frontier.insert({ index, objectives: obj.slice(), row: NO_ROW });
  }

  private startBlock(index: number, d: Int32Array): void {
    this.endBlock();
    this.blockStart = index - (index % this.blockSize);
    this.blockEnd = this.blockStart + this.blockSize;
    this.blockBest = -Infinity;
    for (let k = 0; k < INNER_AXIS; k++) this.blockCoords[k] = d[k]!;
    if (d[AXIS.workload] !== this.frontierW) this.switchWorkload(d[AXIS.workload]!);
  }

  private endBlock(): void {
    if (this.blockEnd === 0) return;
    const base = (this.blockCoords[AXIS.workload]! - this.firstWorkload) * this.width;
    for (let k = 0; k < INNER_AXIS; k++) {
      const cell = base + this.axisOffset[k]! + this.blockCoords[k]!;
      if (this.blockBest > this.axisBest[cell]!) this.axisBest[cell] = this.blockBest;
    }
    // the system is fixed in a block: its best point so far (the first of equals, as blocks come in index order)
    const sys = this.blockCoords[AXIS.system]!;
    if (this.blockBest > this.bestValue[sys]!) {
      this.bestValue[sys] = this.blockBest;
      this.bestIndex[sys] = this.blockBestIndex;
    }
  }

  private switchWorkload(w: number): void {
    this.frontierW = w;
    let f = this.frontiers.get(w);
    if (!f) {
      f = new Frontier();
      this.frontiers.set(w, f);
    }
    this.frontier = f;
    if (!this.touched.includes(w)) this.touched.push(w); // pruned ranges may come back to a workload
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
    all.forEach((p, i) => {
      frontierIndex[i] = p.index;
      frontierRows.set(p.row, i * NCOLS);
    });
    // per system: only the systems and reasons the range has points of (a sweep over thousands of node designs
    // would otherwise send, and the main thread hold until delivery, megabytes of zeros per range)
    const bestAt = sparseCells(this.bestIndex, (v) => v >= 0);
    const bestIndex = new Float64Array(bestAt.length);
    const bestRows = new Float64Array(bestAt.length * NCOLS);
    bestAt.forEach((s, i) => {
      bestIndex[i] = this.bestIndex[s]!;
      bestRows.set(this.rowOf(bestIndex[i]!), i * NCOLS);
    });
    const systemReasonAt = sparseCells(this.systemReasonCounts, (v) => v > 0);
    const reasonExamples = new Float64Array(systemReasonAt.length * EXAMPLES);
    systemReasonAt.forEach((cell, i) =>
      reasonExamples.set(this.reasonExamples.subarray(cell * EXAMPLES, (cell + 1) * EXAMPLES), i * EXAMPLES),
    );
    const sample = this.sample();
    const result: RangeResult = {
      start: this.start,
      end: this.end,
      reasonCounts: this.reasonCounts,
      systemReasonCounts: Float64Array.from(systemReasonAt, (cell) => this.systemReasonCounts[cell]!),
      reasonExamples,
      systemReasonAt,
      frontierIndex,
      frontierRows,
      pointIndex: this.pointIndex ? this.pointIndex.slice(0, this.kept) : null,
      pointRows: this.rows ? this.rows.slice(0, this.kept * NCOLS) : null,
      pointBytes: null,
      bestIndex,
      bestRows,
      bestAt,
      sampleIndex: sample.index,
      sampleRows: sample.rows,
      axisBestFrom: this.firstWorkload,
      axisBest: this.axisBest,
    };
    // the dense per-system arrays stay in this thread (the result has sparse copies): the next range reuses them
    spare = { counts: this.systemReasonCounts, examples: this.reasonExamples };
    return result;
  }

  /** Discards this accumulator (its result is not wanted, as in the warm-up): the next one reuses its dense arrays. */
  recycle(): void {
    spare = { counts: this.systemReasonCounts, examples: this.reasonExamples };
  }

  /** An infeasible point of system s for reason `code`: counted, and kept as an example while there are few. */
  reject(index: number, s: number, code: number): void {
    const sr = s * INFEASIBLE_REASONS.length + code;
    const seen = this.systemReasonCounts[sr]!;
    this.systemReasonCounts[sr] = seen + 1;
    if (seen < EXAMPLES) this.reasonExamples[sr * EXAMPLES + seen] = index;
  }

  /** The feasible points among the range's sample candidates, with their rows. */
  private sample(): { index: Float64Array; rows: Float64Array } {
    const candidates = sampleCandidates(this.start, this.end, totalPoints(this.ctx.plan));
    const index = new Float64Array(candidates.length);
    const rows = new Float64Array(candidates.length * NCOLS);
    let n = 0,
      kept = 0; // with rows kept: the next kept point not before the candidate (both ascend)
    for (const i of candidates) {
      if (this.rows !== null && this.pointIndex !== null) {
        // the kept row is the row scoring the point again gives (the model is pure); a point not kept is infeasible
        while (kept < this.kept && this.pointIndex[kept]! < i) kept++;
        if (kept === this.kept || this.pointIndex[kept] !== i) continue;
        rows.set(this.rows.subarray(kept * NCOLS, (kept + 1) * NCOLS), n * NCOLS);
      } else if (scoreIndexInto(this.ctx, indexToCoords(i, this.ctx.radix), rows, n * NCOLS) !== 0) continue;
      index[n++] = i;
    }
    return { index: index.slice(0, n), rows: rows.slice(0, n * NCOLS) };
  }

  private rowOf(index: number): Float64Array {
    const row = new Float64Array(NCOLS);
    scoreIndexInto(this.ctx, indexToCoords(index, this.ctx.radix), row, 0);
    return row;
  }
}

/** The cells of `values` that `keep` accepts, ascending. */
function sparseCells(values: Float64Array, keep: (v: number) => boolean): Int32Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (keep(values[i]!)) n++;
  const cells = new Int32Array(n);
  n = 0;
  for (let i = 0; i < values.length; i++) if (keep(values[i]!)) cells[n++] = i;
  return cells;
}

/**
 * The dense per-system x reason arrays of the last finished range, for the next range of the thread: with thousands
 * of node designs they are ~10 MB a range, and allocating them afresh for every range grew the threads' malloc arenas
 * by tens of MB (the hardware bench's RSS).
 */
let spare: { counts: Float64Array; examples: Float64Array } | null = null;

/** Placeholder row of a frontier point until its range finishes and scores it again. */
const NO_ROW = new Float64Array(0);
