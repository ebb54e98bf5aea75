// Upper bounds on a block's objectives, from the model's monotone structure (docs/hardware-axes.md, "Bounds").
// Pure; used by the engine to skip blocks of design points that cannot reach the frontier. Every bound must be at
// least the value evaluatePoint gives any point of the block: tests/bounds.test.ts checks it on random points,
// and the pruned sweep's frontier is compared with full enumeration's.
import { gflopToFlop, HOURS_PER_YEAR, SECONDS_PER_HOUR } from "./units.ts";
import { ACTIVATION_BYTES_PER } from "./units.ts";
import { PRECISIONS } from "../schema/vocab.ts";
import type { JobEnv } from "./env.ts";
import type { NodeModel } from "./node.ts";
import type { ModelParams } from "./params.ts";
import type { WorkloadModel } from "./workload.ts";
import { gatherEfficiency } from "./memory.ts";
import { P_AUTO, P_CACHE, P_COL, P_CPU, P_HOST, P_HYBRID, P_PS, P_REPL, P_ROW, P_SSD, P_TABLE } from "./placement.ts";

/**
 * Compute time of a local batch of b samples on one device is at least (b alpha + beta) (eq. C1-C3): every GEMM
 * takes 3 (f + f_half) / (peak e_max) and the activations' memory passes are linear in b. Writes [alpha, beta].
 */
export function computeTimeLine(
  w: WorkloadModel,
  peak: number,
  effMax: number,
  halfFlop: number,
  bytesPerElem: number,
  passes: number,
  memBw: number,
  out: Float64Array,
): void {
  let flopPerSample = 0,
    gemms = 0;
  for (let i = 0; i < w.layerIn.length; i++) {
    flopPerSample += 2 * w.layerIn[i]! * w.layerOut[i]!;
    gemms++;
  }
  if (w.interactionFlopPerSample > 0) {
    flopPerSample += w.interactionFlopPerSample;
    gemms++;
  }
  out[0] = (3 * flopPerSample) / (peak * effMax) + (w.activationElemsPerSample * bytesPerElem * passes) / memBw;
  out[1] = (3 * gemms * halfFlop) / (peak * effMax);
}

/** What a block spans: its batch sizes, node counts, precisions and placement variants. */
export interface BlockSpan {
  maxBatch: number;
  minNodes: number;
  maxNodes: number;
  /** precisions (PRECISIONS indices) of the block */
  precisions: ArrayLike<number>;
  /** placement variants: PLACEMENTS indices and their parameter-server counts */
  placements: ArrayLike<number>;
  psNodes: ArrayLike<number>;
}

const line = new Float64Array(2);
const emb = new Float64Array(2);

/**
 * Lower bounds of a placement's embedding time per sample on one device, before the software efficiency (section
 * E): emb[0] while the accelerators gather (they count as busy, eq. P1's u_acc), emb[1] while they wait (host link,
 * CPU gathers, parameter servers). `nodes`: the node count the bound is for (parameter servers serve every node).
 * Returns false when the placement cannot run on this node (needs-accelerator). A placement without a simple bound
 * (ssd-cached, auto) gets 0: still a lower bound.
 */
export function embeddingTimeLine(
  node: NodeModel,
  w: WorkloadModel,
  placement: number,
  psNodes: number,
  nodes: number,
  env: JobEnv,
  p: ModelParams,
  out: Float64Array,
): boolean {
  out[0] = 0;
  out[1] = 0;
  const E = w.embTrafficPerSample;
  const cpuGather = node.dramBw * gatherEfficiency(w.meanRowBytes, p.cpu_gather_eff, p.gather_half_row_bytes);
  if (node.isCpuOnly) {
    if (placement === P_HOST) out[0] = E / cpuGather;
    else if (placement !== P_AUTO && placement !== P_SSD && placement !== P_PS) return false;
  } else {
    const hbm = node.memBwPerDevice * gatherEfficiency(w.meanRowBytes, p.hbm_gather_eff_max, p.gather_half_row_bytes);
    const host = node.hostLinkBw * gatherEfficiency(w.meanRowBytes, p.host_link_eff, p.host_gather_half_row_bytes);
    if (placement === P_TABLE || placement === P_ROW || placement === P_REPL || placement === P_HYBRID)
      out[0] = E / hbm;
    else if (placement === P_COL) out[0] = E / (node.memBwPerDevice * p.hbm_gather_eff_max);
    else if (placement === P_HOST || placement === P_CACHE) out[1] = E / Math.max(hbm, host);
    else if (placement === P_CPU) out[1] = (node.devices * E) / cpuGather;
  }
  if (placement === P_PS && psNodes > 0) {
    const ps = env.psNode;
    const psGather = gatherEfficiency(w.meanRowBytes, p.cpu_gather_eff, p.gather_half_row_bytes);
    out[1] = (node.devices * nodes * E) / (psNodes * ps.dramBw * psGather);
  }
  return true;
}

/**
 * Upper bounds of throughput (samples/s), samples per joule and samples per USD over every point of one workload on
 * one node, written to out[0..2] (0 when no point can be feasible). The time line is at least compute, the
 * placement's embedding term and the fixed overhead (eq. T1: every term is non-negative); the accelerators
 * (CPU-only: the CPUs) draw at least their peak power while computing or gathering and their lower figure
 * otherwise, every other part at least its lower figure (eq. P1-P3: utilisation between 0 and 1); parameter
 * servers, readers and switch ports only add power and cost. Each bound falls as the local batch falls, so it is
 * taken at the block's largest local batch.
 */
export function blockUpperBounds(
  node: NodeModel,
  w: WorkloadModel,
  span: BlockSpan,
  env: JobEnv,
  p: ModelParams,
  out: Float64Array,
): void {
  out[0] = 0;
  out[1] = 0;
  out[2] = 0;
  if (node.missing.length) return; // every point is infeasible (missing-catalog-figure)
  const cpuOnly = node.isCpuOnly;
  const G = node.devices;
  const effMax = cpuOnly ? p.cpu_gemm_eff_max : p.gpu_gemm_eff_max;
  const half = gflopToFlop(cpuOnly ? p.cpu_gemm_half_gflop : p.gpu_gemm_half_gflop);
  const memBw = cpuOnly ? node.dramBw : node.memBwPerDevice;
  const sw = env.softwareEfficiency,
    t0 = env.overheadS;
  const lower = (a: number, b: number) => Math.min(a, b);
  const otherW =
    (cpuOnly ? 0 : lower(node.cpuIdleW, node.cpuPeakW)) +
    node.dramW +
    lower(node.nicIdleW, node.nicActiveW) +
    lower(node.ssdIdleW, node.ssdActiveW);
  const busyW = (cpuOnly ? node.cpuPeakW : G * node.accPeakW) + otherW;
  const idleW = (cpuOnly ? lower(node.cpuIdleW, node.cpuPeakW) : G * lower(node.accIdleW, node.accPeakW)) + otherW;
  const powerFactor = env.pue * (1 + env.chassisOverheadFraction);
  const b = span.maxBatch / (G * span.minNodes); // the largest local batch
  const bThr = span.maxBatch / (G * span.maxNodes); // local batch of the largest batch on the most nodes
  for (let k = 0; k < span.precisions.length; k++) {
    const pr = span.precisions[k]!;
    const peak = node.peakFlops[pr]!;
    if (!(peak > 0)) continue; // precision-unsupported
    computeTimeLine(w, peak, effMax, half, ACTIVATION_BYTES_PER[PRECISIONS[pr]!]!, p.activation_passes, memBw, line);
    const alpha = line[0]!,
      beta = line[1]!;
    for (let v = 0; v < span.placements.length; v++) {
      const pl = span.placements[v]!,
        ps = span.psNodes[v]!;
      // throughput = B / t_iter: largest at the largest B on the most nodes
      if (!embeddingTimeLine(node, w, pl, ps, span.maxNodes, env, p, emb)) continue;
      const tThr = (bThr * (alpha + emb[0]! + emb[1]!) + beta) / sw + t0;
      const thr = span.maxBatch / tThr;
      // per sample, at the largest local batch (on the fewest nodes: parameter servers then serve the fewest)
      embeddingTimeLine(node, w, pl, ps, span.minNodes, env, p, emb);
      const tBusy = (b * (alpha + emb[0]!) + beta) / sw,
        tOther = (b * emb[1]!) / sw + t0;
      const nodeSecondsPerSample = (tBusy + tOther) / (b * G);
      const joulesPerSample = (powerFactor * (busyW * tBusy + idleW * tOther)) / (b * G);
      let usdPerSample: number;
      if (env.cloudBasis) {
        const override = env.cloudUsdPerNodeHourOverride;
        const rate = Number.isNaN(override) ? node.cloudUsdPerHour : override;
        usdPerSample = (rate * nodeSecondsPerSample) / SECONDS_PER_HOUR;
      } else {
        const capitalPerSecond = node.priceUsd / (env.amortizationYears * HOURS_PER_YEAR * SECONDS_PER_HOUR);
        usdPerSample = capitalPerSecond * nodeSecondsPerSample + (env.electricityUsdPerKwh * joulesPerSample) / 3.6e6;
      }
      const spj = 1 / joulesPerSample,
        spu = 1 / usdPerSample;
      out[0] = Math.max(out[0]!, Number.isFinite(thr) ? thr : Infinity);
      out[1] = Math.max(out[1]!, Number.isFinite(spj) && spj > 0 ? spj : Infinity);
      out[2] = Math.max(out[2]!, Number.isFinite(spu) && spu > 0 ? spu : Infinity);
    }
  }
}
