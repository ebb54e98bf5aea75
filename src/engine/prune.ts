// Exact frontiers without enumerating everything (docs/hardware-axes.md, "Pruning"): a range is scored block by block,
// a block being every point of one workload on one node design (all node counts, placements, batch sizes and
// precisions), best bound first; a block whose objectives' upper bounds (model/bounds.ts) are strictly beaten in
// every objective by a point already scored for its workload cannot reach the frontier and is skipped. Skipped
// points are dominated by a scored point of the same thread, so any split merges to the exact frontier.
import type { RangeResult } from "../frontier/merge.ts";
import type { Frontier } from "../frontier/pareto.ts";
import { blockUpperBounds, type BlockSpan } from "../model/bounds.ts";
import { AXIS } from "../space/space.ts";
import { RangeAccumulator } from "./accumulator.ts";
import type { ScoringContext } from "./context.ts";
import { scoreInto } from "./range.ts";

/** Bounds are widened by this relative margin, so rounding in the kernel can never put a point above its bound. */
const MARGIN = 1e-9;

/** Objective bounds per (workload, system) block, in the plan's objectives as values to maximise. */
export class BlockBounds {
  private readonly raw = new Float64Array(3);
  /** true when the batch axis ascends: a sub-block's bounds then grow along it (model/bounds.ts) */
  readonly batchesAscend: boolean;
  private readonly span: BlockSpan;
  constructor(private readonly ctx: ScoringContext) {
    const nodes = [...ctx.nodeCounts];
    this.span = {
      minBatch: Math.min(...ctx.batchOf),
      maxBatch: Math.max(...ctx.batchOf),
      minNodes: Math.min(...nodes),
      maxNodes: Math.max(...nodes),
      precisions: ctx.precisionOf,
      placements: ctx.placementOf,
      psNodes: ctx.psNodesOf,
    };
    this.sub.maxBatch = this.span.maxBatch;
    this.sub.minBatch = this.span.minBatch;
    this.batchesAscend = ctx.batchOf.every((v, i) => i === 0 || v > ctx.batchOf[i - 1]!);
    this.sub.precisions = ctx.precisionOf;
  }

  /** Upper bounds of block (w, s) into out (one per objective); +Infinity where none is known. */
  of(w: number, s: number, out: Float64Array): void {
    this.boundsFor(w, s, this.span, out);
  }

  /**
   * Upper bounds of the sub-block (w, s, n, pl): one node count and one placement variant, every precision, and every
   * batch size or only `batch` (an index into the batch axis).
   */
  ofSub(w: number, s: number, n: number, pl: number, out: Float64Array, batch = -1): void {
    const ctx = this.ctx;
    const sub = this.sub;
    sub.maxBatch = batch < 0 ? this.span.maxBatch : ctx.batchOf[batch]!;
    sub.minNodes = sub.maxNodes = ctx.nodeCounts[n]!;
    (sub.placements as Int32Array)[0] = ctx.placementOf[pl]!;
    (sub.psNodes as Int32Array)[0] = ctx.psNodesOf[pl]!;
    this.boundsFor(w, s, sub, out);
  }

  private readonly sub: BlockSpan = {
    minBatch: 0,
    maxBatch: 0,
    minNodes: 0,
    maxNodes: 0,
    precisions: new Int32Array(0),
    placements: new Int32Array(1),
    psNodes: new Int32Array(1),
  };

  private boundsFor(w: number, s: number, span: BlockSpan, out: Float64Array): void {
    const node = this.ctx.nodes[s]!;
    const env = this.ctx.envOf(w); // the workload's own samples per training run (eq. K3)
    blockUpperBounds(node, this.ctx.workload(w), span, env, this.ctx.params, this.raw);
    const [thr, spj, spu] = this.raw;
    const toTrain = env.samplesToTrain;
    const objectives = this.ctx.plan.objectives;
    for (let k = 0; k < objectives.length; k++) {
      let v: number;
      switch (objectives[k]) {
        case "throughput_samples_per_s":
          v = thr!;
          break;
        case "samples_per_joule":
          v = spj!;
          break;
        case "samples_per_usd":
          v = spu!;
          break;
        case "neg_time_to_train_h":
          v = -toTrain / thr! / 3600;
          break;
        case "neg_cost_per_run_usd":
          v = -toTrain / spu!;
          break;
        default:
          v = Infinity;
      }
      out[k] = Number.isNaN(v) ? Infinity : v >= 0 ? v * (1 + MARGIN) : v * (1 - MARGIN);
    }
  }
}

/** True when a frontier point is strictly better than `bound` in every objective. */
export function beatenEverywhere(f: Frontier | undefined, bound: Float64Array): boolean {
  if (!f) return false;
  for (const p of f.points) {
    let all = true;
    for (let k = 0; k < bound.length && all; k++) all = p.objectives[k]! > bound[k]!;
    if (all) return true;
  }
  return false;
}

/**
 * Scores [start, end) with pruning (see the file's comment): feasible rows are never kept (runs that write
 * points.csv score everything). Returns the range's result with `boundedPoints`, the points skipped.
 */
export function scoreRangePruned(
  ctx: ScoringContext,
  start: number,
  end: number,
  seen: Map<number, Frontier>,
  bounds: BlockBounds = new BlockBounds(ctx),
): RangeResult {
  const acc = new RangeAccumulator(ctx, start, end, false, seen);
  const radix = ctx.radix;
  const perBlock = radix.slice(AXIS.nodes).reduce((a, b) => a * b, 1);
  const S = radix[AXIS.system]!;
  const objectives = ctx.plan.objectives.length;
  const first = Math.floor(start / perBlock),
    last = Math.ceil(end / perBlock);
  const count = last - first;
  const boundOf = new Float64Array(count * objectives);
  const order = new Int32Array(count);
  const b = new Float64Array(objectives);
  const sub = new Float64Array(objectives);
  for (let i = 0; i < count; i++) {
    const block = first + i;
    order[i] = i;
    bounds.of(Math.floor(block / S), block % S, b);
    boundOf.set(b, i * objectives);
  }
  // most promising first (by the first objective's bound, then index): good points early prune the most
  order.sort((x, y) => boundOf[y * objectives]! - boundOf[x * objectives]! || x - y);
  let bounded = 0;
  for (let j = 0; j < count; j++) {
    const i = order[j]!;
    const block = first + i;
    const from = Math.max(start, block * perBlock),
      to = Math.min(end, (block + 1) * perBlock);
    const s = block % S;
    const refused = ctx.refused[s]!;
    if (refused !== 0) {
      acc.reasonCounts[refused]! += to - from; // a node that cannot be built: every point refused, none scored
      continue;
    }
    if (beatenEverywhere(seen.get(Math.floor(block / S)), boundOf.subarray(i * objectives, (i + 1) * objectives))) {
      bounded += to - from;
      continue;
    }
    bounded += scoreSubBlocks(acc, ctx, bounds, seen, block, from, to, perBlock, sub);
  }
  const r = acc.finish();
  r.boundedPoints = bounded;
  return r;
}

/**
 * Scores a block that its bounds did not rule out, sub-block by sub-block (one node count and placement variant:
 * every batch size and precision), skipping those whose own, tighter bounds are beaten. Returns the points skipped.
 */
function scoreSubBlocks(
  acc: RangeAccumulator,
  ctx: ScoringContext,
  bounds: BlockBounds,
  seen: Map<number, Frontier>,
  block: number,
  from: number,
  to: number,
  perBlock: number,
  b: Float64Array,
): number {
  const radix = ctx.radix;
  const perSub = radix[AXIS.batch_size]! * radix[AXIS.precision]!;
  const PL = radix[AXIS.embedding_placement]!;
  const PR = radix[AXIS.precision]!;
  const S = radix[AXIS.system]!;
  const w = Math.floor(block / S),
    s = block % S;
  const base = block * perBlock;
  let bounded = 0;
  for (let k = Math.floor((from - base) / perSub); base + k * perSub < to; k++) {
    const lo = Math.max(from, base + k * perSub),
      hi = Math.min(to, base + (k + 1) * perSub);
    const n = Math.floor(k / PL),
      pl = k % PL;
    bounds.ofSub(w, s, n, pl, b, -1);
    if (beatenEverywhere(seen.get(w), b)) {
      bounded += hi - lo;
      continue;
    }
    // then batch by batch (each with every precision): small batches pay the fixed per-iteration costs. Bounds
    // grow with the batch, so when batch sizes ascend the beaten ones are a prefix, found by bisection.
    const subBase = base + k * perSub;
    const first = Math.floor((lo - subBase) / PR),
      end = Math.ceil((hi - subBase) / PR);
    let beaten = first; // batches [first, beaten) are beaten
    if (bounds.batchesAscend) {
      let top = end;
      while (beaten < top) {
        const mid = (beaten + top) >> 1;
        bounds.ofSub(w, s, n, pl, b, mid);
        if (beatenEverywhere(seen.get(w), b)) beaten = mid + 1;
        else top = mid;
      }
    }
    for (let j = first; j < end; j++) {
      const a = Math.max(lo, subBase + j * PR),
        z = Math.min(hi, subBase + (j + 1) * PR);
      let skip = j < beaten;
      if (!skip && !bounds.batchesAscend) {
        bounds.ofSub(w, s, n, pl, b, j);
        skip = beatenEverywhere(seen.get(w), b);
      }
      if (skip) bounded += z - a;
      else scoreInto(acc, ctx, a, z);
    }
  }
  return bounded;
}
