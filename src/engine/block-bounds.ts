// Objective bounds of blocks of design points and of groups of node designs, per workload (model/bounds.ts,
// model/bound-group.ts), in the plan's objectives as values to maximise; used by engine/prune.ts.
import { boundGroupKey, optimisticNode } from "../model/bound-group.ts";
import { blockUpperBounds, type BlockSpan } from "../model/bounds.ts";
import type { NodeModel } from "../model/node.ts";
import type { ScoringContext } from "./context.ts";

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
    this.rawPerPlacement = new Float64Array(3 * ctx.placementOf.length);
    // group node designs by everything the bounds do not improve with (the rest combined optimistically)
    const byKey = new Map<string, number>();
    const members: NodeModel[][] = [];
    this.groupOf = new Int32Array(ctx.nodes.length);
    ctx.nodes.forEach((node, s) => {
      // a design that cannot be built is refused, never bounded: alone in its group
      const key = (ctx.refused[s] === 0 ? boundGroupKey(node) : null) ?? `alone ${s}`;
      let g = byKey.get(key);
      if (g === undefined) {
        g = members.length;
        byKey.set(key, g);
        members.push([]);
      }
      members[g]!.push(node);
      this.groupOf[s] = g;
    });
    for (const m of members) this.groupNodes.push(m.length === 1 ? m[0]! : optimisticNode(m));
    // second level: within a group, the designs with the same NICs (model and count), bounded together too
    const bySub = new Map<string, number>();
    const subMembers: NodeModel[][] = [];
    this.subgroupOf = new Int32Array(ctx.nodes.length);
    ctx.nodes.forEach((node, s) => {
      const key = `${this.groupOf[s]} ${nicKey(node)}`;
      let g = bySub.get(key);
      if (g === undefined) {
        g = subMembers.length;
        bySub.set(key, g);
        subMembers.push([]);
      }
      subMembers[g]!.push(node);
      this.subgroupOf[s] = g;
    });
    for (const m of subMembers) this.subgroupNodes.push(m.length === 1 ? m[0]! : optimisticNode(m));
  }

  /** per system: its subgroup, the designs of its group with the same NICs (model and count) */
  readonly subgroupOf: Int32Array;
  /** per subgroup: its optimistic node */
  private readonly subgroupNodes: NodeModel[] = [];

  /** Upper bounds of every block (w, s) with s in subgroup g: at least each member's block bounds. */
  ofSubgroup(w: number, g: number, out: Float64Array): void {
    this.boundsFor(this.subgroupNodes[g]!, w, this.span, out);
  }

  /** per system: its group of node designs bounded together (model/bound-group.ts) */
  readonly groupOf: Int32Array;
  /** per group: its optimistic node */
  private readonly groupNodes: NodeModel[] = [];
  get groupCount(): number {
    return this.groupNodes.length;
  }

  /**
   * Upper bounds of block (w, s) into out (one per objective); +Infinity where none is known. With `perPlacement`
   * (objectives x placement variants, variant-major): each variant's own bounds too, from the same evaluation.
   */
  of(w: number, s: number, out: Float64Array, perPlacement?: Float64Array): void {
    const raw = perPlacement ? this.rawPerPlacement : undefined;
    this.boundsFor(this.ctx.nodes[s]!, w, this.span, out, raw);
    if (!perPlacement || !raw) return;
    const K = out.length;
    for (let v = 0; v < this.ctx.placementOf.length; v++) this.toObjectives(raw, 3 * v, w, perPlacement, v * K);
  }

  /** raw (throughput, samples per joule, samples per USD) bounds of each placement variant, for `of` */
  private readonly rawPerPlacement: Float64Array;

  /** Upper bounds of every block (w, s) with s in group g: at least each member's block bounds. */
  ofGroup(w: number, g: number, out: Float64Array): void {
    this.boundsFor(this.groupNodes[g]!, w, this.span, out);
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
    this.boundsFor(this.ctx.nodes[s]!, w, sub, out);
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

  private boundsFor(node: NodeModel, w: number, span: BlockSpan, out: Float64Array, perPlacement?: Float64Array): void {
    const env = this.ctx.envOf(w); // the workload's own samples per training run (eq. K3)
    blockUpperBounds(node, this.ctx.workload(w), span, env, this.ctx.params, this.raw, perPlacement);
    this.toObjectives(this.raw, 0, w, out, 0);
  }

  /** raw[r..r+3) (throughput, samples per joule, samples per USD bounds) as the plan's objectives into out[o..]. */
  private toObjectives(raw: Float64Array, r: number, w: number, out: Float64Array, o: number): void {
    const thr = raw[r]!,
      spj = raw[r + 1]!,
      spu = raw[r + 2]!;
    const toTrain = this.ctx.envOf(w).samplesToTrain;
    const objectives = this.ctx.plan.objectives;
    for (let k = 0; k < objectives.length; k++) {
      let v: number;
      switch (objectives[k]) {
        case "throughput_samples_per_s":
          v = thr;
          break;
        case "samples_per_joule":
          v = spj;
          break;
        case "samples_per_usd":
          v = spu;
          break;
        case "neg_time_to_train_h":
          v = -toTrain / thr / 3600;
          break;
        case "neg_cost_per_run_usd":
          v = -toTrain / spu;
          break;
        default:
          v = Infinity;
      }
      out[o + k] = Number.isNaN(v) ? Infinity : v >= 0 ? v * (1 + MARGIN) : v * (1 - MARGIN);
    }
  }
}

/** The NIC figures of a node (the second level of grouping). */
function nicKey(n: NodeModel): string {
  return `${n.nicBw} ${n.nicCount} ${n.nicLatencyS} ${n.nicIdleW} ${n.nicActiveW}`;
}

const built = new WeakMap<ScoringContext, BlockBounds>();
/** The context's BlockBounds, built once per thread (grouping thousands of node designs is not free). */
export function boundsOf(ctx: ScoringContext): BlockBounds {
  let b = built.get(ctx);
  if (!b) {
    b = new BlockBounds(ctx);
    built.set(ctx, b);
  }
  return b;
}
