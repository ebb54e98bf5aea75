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

/** What a block spans: its largest local batch per device, and its largest batch and node count. */
export interface BlockSpan {
  /** largest batch / (devices x nodes) of the block's points */
  maxLocalBatch: number;
  maxBatch: number;
  maxNodes: number;
  /** precisions (PRECISIONS indices) of the block */
  precisions: ArrayLike<number>;
}

const line = new Float64Array(2);

/**
 * Upper bounds of throughput (samples/s), samples per joule and samples per USD over every point of one workload on
 * one node, written to out[0..2]; Infinity where no bound is known (e.g. a figure is missing). The time line is at
 * least the compute term plus the fixed overhead (eq. T1: every term is non-negative); the trainer nodes draw at
 * least their accelerators' (CPU-only: CPUs') peak power during compute and every other part's lower figure
 * throughout (eq. P1-P3: utilisation between 0 and 1); everything else (parameter servers, readers, switch ports)
 * only adds power and cost.
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
  const busyW = cpuOnly ? node.cpuPeakW : G * node.accPeakW;
  const idleW = cpuOnly ? lower(node.cpuIdleW, node.cpuPeakW) : G * lower(node.accIdleW, node.accPeakW);
  const powerFactor = env.pue * (1 + env.chassisOverheadFraction);
  for (let k = 0; k < span.precisions.length; k++) {
    const pr = span.precisions[k]!;
    const peak = node.peakFlops[pr]!;
    if (!(peak > 0)) continue; // precision-unsupported
    computeTimeLine(w, peak, effMax, half, ACTIVATION_BYTES_PER[PRECISIONS[pr]!]!, p.activation_passes, memBw, line);
    const alpha = line[0]!,
      beta = line[1]!;
    // throughput = B / t_iter, t_iter >= (B alpha / (G N) + beta) / s + t0: largest at the largest B and N
    const thr = span.maxBatch / ((span.maxBatch * alpha) / (G * span.maxNodes) / sw + beta / sw + t0);
    // per sample: seconds of one node's iteration per sample it trains, at the largest local batch b
    const b = span.maxLocalBatch;
    const tc = (b * alpha + beta) / sw;
    const nodeSecondsPerSample = (tc + t0) / (b * G);
    const joulesPerSample = (powerFactor * ((busyW + otherW) * tc + (idleW + otherW) * t0)) / (b * G);
    const spj = 1 / joulesPerSample;
    let usdPerSample: number;
    if (env.cloudBasis) {
      const rate = Number.isNaN(env.cloudUsdPerNodeHourOverride)
        ? node.cloudUsdPerHour
        : env.cloudUsdPerNodeHourOverride;
      usdPerSample = (rate * nodeSecondsPerSample) / SECONDS_PER_HOUR;
    } else {
      const capitalPerSecond = node.priceUsd / (env.amortizationYears * HOURS_PER_YEAR * SECONDS_PER_HOUR);
      usdPerSample = capitalPerSecond * nodeSecondsPerSample + (env.electricityUsdPerKwh * joulesPerSample) / 3.6e6;
    }
    const spu = 1 / usdPerSample;
    out[0] = Math.max(out[0]!, Number.isFinite(thr) ? thr : Infinity);
    out[1] = Math.max(out[1]!, Number.isFinite(spj) && spj > 0 ? spj : Infinity);
    out[2] = Math.max(out[2]!, Number.isFinite(spu) && spu > 0 ? spu : Infinity);
  }
}
