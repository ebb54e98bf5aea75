// Everything needed to score points of a plan, built once per thread: workloads up front, tier contexts lazily.
import { buildNodeModel, type NodeModel } from "../model/node.ts";
import { jobEnv, type JobEnv } from "../model/env.ts";
import { buildTierContext, type TierContext } from "../model/tiers.ts";
import type { ModelParams } from "../model/params.ts";
import { resolveStack, softwareEnv } from "../model/software.ts";
import { buildWorkload, type WorkloadModel } from "../model/workload.ts";
import { radices } from "../space/space.ts";
import type { Plan } from "../spec/plan.ts";

/**
 * Tier contexts kept per thread before the cache is emptied (each ~170 bytes with its boxed numbers and map entry).
 * Pruned sweeps ask for a context by block and rarely come back to it: on a quarter of the hardware bench a thread
 * built 312k-356k contexts with room for 100k and 344k-369k with room for 16k, while 100k of them held ~20 MB of
 * each worker's heap (docs/hardware-axes.md, "Measured", round 4).
 */
const MAX_TIER_CONTEXTS = 8192;

export interface ScoringContext {
  plan: Plan;
  radix: number[];
  /** per-axis values as typed arrays, so the hot loop reads no plan objects */
  nodeCounts: Int32Array;
  placementOf: Int32Array;
  psNodesOf: Int32Array;
  /** per placement variant: hbm-cache's and hbm-split's HBM share, NaN: as much as fits (and other placements) */
  hbmShareOf: Float64Array;
  /** doubles, not integers: a batch size times a per-sample count can pass 2^31, and compiled 32-bit integer
   *  arithmetic on it deoptimised the model mid-sweep */
  batchOf: Float64Array;
  precisionOf: Int32Array;
  /** per system: 0, or the reason code refusing every point of a composed node that cannot be built */
  refused: Int32Array;
  params: ModelParams;
  nodes: NodeModel[];
  env: JobEnv;
  /** the job environment of workload w: env with that workload's samples per training run (eq. K3) */
  envOf(w: number): JobEnv;
  workload(w: number): WorkloadModel;
  tiers(w: number, s: number, n: number): TierContext;
}

/** The job environment of a plan under parameters `params`, and one per workload (eq. K3: its samples per run). */
function environments(plan: Plan, params: ModelParams): { env: JobEnv; envs: JobEnv[] } {
  const psNode = buildNodeModel(plan.psSystem, plan.tco);
  const env = jobEnv(plan.tco, psNode, resolveStack(params, plan.software), {
    ...softwareEnv(params, plan.software),
    pue: plan.pue,
    electricityUsdPerKwh: plan.electricityUsdPerKwh,
    amortizationYears: plan.amortizationYears,
    cloudBasis: plan.cloudBasis,
    cloudUsdPerNodeHourOverride: plan.cloudUsdPerNodeHour ?? NaN,
    powerBudgetW: plan.powerBudgetW ?? Infinity,
    maxNodes: plan.maxNodes ?? Infinity,
    minThroughput: plan.minThroughput ?? 0,
    samplesToTrain: plan.samplesToTrain ?? NaN,
    readers: plan.readers,
  });
  // one environment per workload, all of one shape: only the samples of a training run differ (each model's own)
  const envs = plan.workloads.map((_, w) => ({ ...env, samplesToTrain: plan.samplesPerRun?.[w] ?? NaN }));
  return { env, envs };
}

/**
 * The same context under other model parameters (the fit's bootstrap draws): nodes, workloads and tier contexts do
 * not depend on the parameters and are shared; the job environments (software maturity, host time) are rebuilt.
 */
export function withParams(ctx: ScoringContext, params: ModelParams): ScoringContext {
  const { env, envs } = environments(ctx.plan, params);
  return { ...ctx, params, env, envOf: (w) => envs[w]! };
}

export function buildScoringContext(plan: Plan): ScoringContext {
  const nodes = plan.systems.map((s) => buildNodeModel(s, plan.tco));
  const { env, envs } = environments(plan, plan.params);
  // Every workload built up front (a few ms): built lazily mid-sweep, a workload whose numbers were fractional where
  // earlier ones' were whole changed the objects' hidden class, and the compiled model deoptimised.
  const workloads = plan.workloads.map((choice) => buildWorkload(choice.model, choice.axes));
  const tierCache = new Map<number, TierContext>();
  let lastKey = -1,
    lastTiers: TierContext | undefined;
  const S = plan.systems.length,
    NN = plan.nodes.length;
  const ctx: ScoringContext = {
    plan,
    radix: radices(plan),
    nodeCounts: Int32Array.from(plan.nodes),
    placementOf: Int32Array.from(plan.placements.map((v) => v.placement)),
    psNodesOf: Int32Array.from(plan.placements.map((v) => v.psNodes)),
    hbmShareOf: Float64Array.from(plan.placements.map((v) => v.hbmShare ?? NaN)),
    batchOf: Float64Array.from(plan.batches),
    precisionOf: Int32Array.from(plan.precisions),
    refused: plan.refused ? Int32Array.from(plan.refused) : new Int32Array(plan.systems.length),
    // a fresh object: a structured-cloned plan (worker threads) would otherwise be read on every point
    params: JSON.parse(JSON.stringify(plan.params)) as ModelParams,
    nodes,
    env,
    envOf: (w) => envs[w]!,
    workload: (w) => workloads[w]!,
    tiers(w, s, n) {
      const key = (w * S + s) * NN + n;
      if (key === lastKey) return lastTiers!; // a block's points all ask for one context: no map lookup per point
      let t = tierCache.get(key);
      if (!t) {
        // many node designs: contexts of blocks long scored go, so memory stays bounded (they are rebuilt if needed)
        if (tierCache.size >= MAX_TIER_CONTEXTS) tierCache.clear();
        const work = ctx.workload(w);
        t = buildTierContext(work, nodes[s]!, plan.nodes[n]!);
        tierCache.set(key, t);
      }
      lastKey = key;
      lastTiers = t;
      return t;
    },
  };
  return ctx;
}
