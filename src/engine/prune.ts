// Exact frontiers without enumerating everything (docs/hardware-axes.md, "Pruning"): a range's blocks (every point of
// one workload on one node design: all node counts, placements, batch sizes and precisions) are taken group by group
// of node designs bounded together (model/bound-group.ts), best bound first. A group, then a block, then a placement
// variant of the block (every node count), then a sub-block (one node count and placement), then a batch size whose
// objectives' upper bounds (model/bounds.ts) are strictly beaten in every objective by a point already scored for its
// workload cannot reach the frontier and is skipped.
// Skipped points are dominated by a scored point of the same thread, so any split merges to the exact frontier.
import type { RangeResult } from "../frontier/merge.ts";
import type { Frontier } from "../frontier/pareto.ts";
import { AXIS } from "../space/space.ts";
import { RangeAccumulator } from "./accumulator.ts";
import { type BlockBounds, boundsOf } from "./block-bounds.ts";
import type { ScoringContext } from "./context.ts";
import { scoreInto } from "./range.ts";

export { BlockBounds } from "./block-bounds.ts";

/** True when a frontier point is strictly better than `bound` (its K values from `at`) in every objective. */
export function beatenEverywhere(f: Frontier | undefined, bound: Float64Array, at = 0, K = bound.length): boolean {
  if (!f) return false;
  for (const p of f.points) {
    let all = true;
    for (let k = 0; k < K && all; k++) all = p.objectives[k]! > bound[at + k]!;
    if (all) return true;
  }
  return false;
}

/**
 * The order to take n bounded items in (bounds[i K .. i K + K), values to maximise): the best by each objective in
 * turn (best by the first, best by the second, ..., then the second best by the first, ...), each item once, ties
 * by `tie`. Points good in any objective come early, and they are what beats the bounds of the rest.
 */
export function interleavedOrder(
  bounds: Float64Array,
  n: number,
  K: number,
  tie: (x: number, y: number) => number,
): number[] {
  const byObjective = Array.from({ length: K }, (_, k) =>
    Array.from({ length: n }, (_, i) => i).sort((x, y) => bounds[y * K + k]! - bounds[x * K + k]! || tie(x, y)),
  );
  if (K === 1) return byObjective[0]!;
  const taken = new Uint8Array(n);
  const order: number[] = [];
  for (let r = 0; r < n; r++)
    for (let k = 0; k < K; k++) {
      const i = byObjective[k]![r]!;
      if (!taken[i]) {
        taken[i] = 1;
        order.push(i);
      }
    }
  return order;
}

/** Points of block `block` within [start, end). */
function pointsIn(block: number, start: number, end: number, perBlock: number): number {
  return Math.min(end, (block + 1) * perBlock) - Math.max(start, block * perBlock);
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
  bounds: BlockBounds = boundsOf(ctx),
): RangeResult {
  const acc = new RangeAccumulator(ctx, start, end, false, seen);
  const radix = ctx.radix;
  const perBlock = radix.slice(AXIS.nodes).reduce((a, b) => a * b, 1);
  const S = radix[AXIS.system]!;
  const K = ctx.plan.objectives.length;
  const first = Math.floor(start / perBlock),
    last = Math.ceil(end / perBlock);
  // the range's blocks by (workload, group of node designs): one bound per group first
  const groups = new Map<number, number[]>();
  const NG = bounds.groupCount;
  for (let block = first; block < last; block++) {
    const key = Math.floor(block / S) * NG + bounds.groupOf[block % S]!;
    const list = groups.get(key);
    if (list) list.push(block);
    else groups.set(key, [block]);
  }
  const keys = [...groups.keys()];
  const groupBound = new Float64Array(keys.length * K);
  const b = new Float64Array(K);
  keys.forEach((key, i) => {
    bounds.ofGroup(Math.floor(key / NG), key % NG, b);
    groupBound.set(b, i * K);
  });
  // most promising first (by the first objective's bound, then key): good points early prune the most
  const order = interleavedOrder(groupBound, keys.length, K, (x, y) => keys[x]! - keys[y]!);
  let bounded = 0;
  const size = (block: number) => Math.min(end, (block + 1) * perBlock) - Math.max(start, block * perBlock);
  for (const i of order) {
    const list = groups.get(keys[i]!)!;
    const w = Math.floor(keys[i]! / NG);
    const refused = ctx.refused[list[0]! % S]!; // refused designs are never grouped with others
    if (refused !== 0) {
      acc.reasonCounts[refused]! += size(list[0]!); // a node that cannot be built: every point refused, none scored
      continue;
    }
    if (beatenEverywhere(seen.get(w), groupBound.subarray(i * K, (i + 1) * K))) {
      for (const block of list) bounded += size(block);
      continue;
    }
    bounded += scoreGroup(acc, ctx, bounds, seen, list, start, end, perBlock);
  }
  const r = acc.finish();
  r.boundedPoints = bounded;
  return r;
}

/**
 * The blocks of one group: by subgroup (the same NICs), best bound first, a subgroup whose bounds are beaten skipped
 * whole; then each block bounded on its own (scoreBlocks).
 */
function scoreGroup(
  acc: RangeAccumulator,
  ctx: ScoringContext,
  bounds: BlockBounds,
  seen: Map<number, Frontier>,
  list: number[],
  start: number,
  end: number,
  perBlock: number,
): number {
  const S = ctx.radix[AXIS.system]!;
  const subs = new Map<number, number[]>();
  for (const block of list) {
    const g = bounds.subgroupOf[block % S]!;
    const members = subs.get(g);
    if (members) members.push(block);
    else subs.set(g, [block]);
  }
  if (subs.size === 1) return scoreBlocks(acc, ctx, bounds, seen, list, start, end, perBlock);
  const K = ctx.plan.objectives.length;
  const w = Math.floor(list[0]! / S);
  const keys = [...subs.keys()];
  const subBound = new Float64Array(keys.length * K);
  const b = new Float64Array(K);
  keys.forEach((g, i) => {
    bounds.ofSubgroup(w, g, b);
    subBound.set(b, i * K);
  });
  let bounded = 0;
  for (const i of interleavedOrder(subBound, keys.length, K, (x, y) => keys[x]! - keys[y]!)) {
    const members = subs.get(keys[i]!)!;
    if (beatenEverywhere(seen.get(w), subBound, i * K, K)) {
      for (const block of members) bounded += pointsIn(block, start, end, perBlock);
      continue;
    }
    bounded += scoreBlocks(acc, ctx, bounds, seen, members, start, end, perBlock);
  }
  return bounded;
}

/** Blocks of one workload, each bounded on its own (best first), skipped or scored sub-block by sub-block. */
function scoreBlocks(
  acc: RangeAccumulator,
  ctx: ScoringContext,
  bounds: BlockBounds,
  seen: Map<number, Frontier>,
  list: number[],
  start: number,
  end: number,
  perBlock: number,
): number {
  const S = ctx.radix[AXIS.system]!;
  const K = ctx.plan.objectives.length;
  const PL = ctx.radix[AXIS.embedding_placement]!;
  const boundOf = new Float64Array(list.length * K);
  // each block's placement variants' own bounds (one evaluation gives both): a variant beaten on every node count
  // is skipped without bounding its node counts one by one
  const variantBound = new Float64Array(list.length * PL * K);
  const b = new Float64Array(K);
  list.forEach((block, i) => {
    bounds.of(Math.floor(block / S), block % S, b, variantBound.subarray(i * PL * K, (i + 1) * PL * K));
    boundOf.set(b, i * K);
  });
  const order = interleavedOrder(boundOf, list.length, K, (x, y) => x - y);
  let bounded = 0;
  for (const i of order) {
    const block = list[i]!;
    const from = Math.max(start, block * perBlock),
      to = Math.min(end, (block + 1) * perBlock);
    if (beatenEverywhere(seen.get(Math.floor(block / S)), boundOf, i * K, K)) {
      bounded += to - from;
      continue;
    }
    bounded += scoreSubBlocks(acc, ctx, bounds, seen, block, from, to, perBlock, b, variantBound, i * PL * K);
  }
  return bounded;
}

/**
 * Scores a block that its bounds did not rule out, sub-block by sub-block (one node count and placement variant:
 * every batch size and precision), skipping those whose variant's bounds over every node count
 * (variantBound[at + pl K ..]) or whose own, tighter bounds are beaten. Returns the points skipped.
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
  variantBound: Float64Array,
  at: number,
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
    const K = b.length;
    if (beatenEverywhere(seen.get(w), variantBound, at + pl * K, K)) {
      bounded += hi - lo;
      continue;
    }
    // then batch by batch (each with every precision): small batches pay the fixed per-iteration costs. Bounds
    // grow with the batch, so when batch sizes ascend the beaten ones are a prefix, found by bisection; the bound
    // at the sub-block's last batch is then its whole bound (it covers every smaller batch), taken first.
    const subBase = base + k * perSub;
    const first = Math.floor((lo - subBase) / PR),
      end = Math.ceil((hi - subBase) / PR);
    bounds.ofSub(w, s, n, pl, b, bounds.batchesAscend ? end - 1 : -1);
    if (beatenEverywhere(seen.get(w), b)) {
      bounded += hi - lo;
      continue;
    }
    let beaten = first; // batches [first, beaten) are beaten
    if (bounds.batchesAscend) {
      let top = end - 1; // the last batch is not beaten (above)
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
