// Upper bounds on a block's objectives, from the model's structure (docs/cost-model.md, "Bounds for pruning", derives
// each step from the equation it bounds). Pure; used by the engine to skip blocks of design points that cannot reach
// the frontier. Every bound must be at least the value evaluatePoint gives any point of the block:
// tests/pruning.test.ts checks it on random points of random specs, and compares pruned frontiers with full
// enumeration's.
import { PRECISIONS } from "../schema/vocab.ts";
import { exposedExchange, exposedLine } from "./bound-comm.ts";
import { activationBytesPerSample, gemmEffMax } from "./compute.ts";
import { PlacementTerms, placementTerms } from "./bound-terms.ts";
import type { JobEnv } from "./env.ts";
import { type Floors, kernelFloors } from "./kernels.ts";
import { pooledBytes } from "./software.ts";
import type { NodeModel } from "./node.ts";
import type { ModelParams } from "./params.ts";
import { ACTIVATION_BYTES_PER, HOURS_PER_YEAR, SECONDS_PER_HOUR } from "./units.ts";
import type { WorkloadModel } from "./workload.ts";

/**
 * eq. C1-C3 are exactly linear in the local batch b: each GEMM of f forward FLOP per sample takes
 * 3 f (b + m_half) / (peak e_max), and the activations' memory passes b s_a A passes / bw. Writes
 * [alpha, beta] with compute time = alpha b + beta (seconds, before the stack's efficiency). Activation bytes as in
 * C3 (compute.ts activationBytesPerSample: pooled vectors at `pooledBytesPerElem`).
 */
export function computeTimeLine(
  w: WorkloadModel,
  peak: number,
  effMax: number,
  halfRows: number,
  bytesPerElem: number,
  pooledBytesPerElem: number,
  passes: number,
  memBw: number,
  out: Float64Array,
): void {
  let flopPerSample = 0;
  for (let i = 0; i < w.layerIn.length; i++) flopPerSample += 2 * w.layerIn[i]! * w.layerOut[i]!;
  if (w.interactionFlopPerSample > 0) flopPerSample += w.interactionFlopPerSample;
  const actBytes = activationBytesPerSample(w, bytesPerElem, pooledBytesPerElem);
  out[0] = (3 * flopPerSample) / (peak * effMax) + (actBytes * passes) / memBw;
  out[1] = (3 * flopPerSample * halfRows) / (peak * effMax);
}

/** What a block spans: its batch sizes, node counts, precisions and placement variants. */
export interface BlockSpan {
  /** the smallest global batch of the spec (any batch of the block is at least this) and the block's largest */
  minBatch: number;
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
const terms = new PlacementTerms();
const floors: Floors = { device: 0, host: 0, serialHost: 0, serialDevice: 0 };

/**
 * The least of busyW x + idleW y over x >= x1, y >= y1, x + y >= total (energy of an iteration that is busy for x
 * seconds and waiting for y, eq. P1): a corner of that region.
 */
function leastEnergy(busyW: number, idleW: number, x1: number, y1: number, total: number): number {
  return busyW >= idleW ? busyW * x1 + idleW * Math.max(y1, total - x1) : idleW * y1 + busyW * Math.max(x1, total - y1);
}

/** True when an earlier precision of the span has the same peak rate and activation bytes (so the same bounds). */
function sameAsEarlier(
  node: NodeModel,
  precisions: ArrayLike<number>,
  k: number,
  peak: number,
  sAct: number,
  p: ModelParams,
): boolean {
  const eff = gemmEffMax(node.isCpuOnly, precisions[k]!, p);
  for (let j = 0; j < k; j++) {
    const q = precisions[j]!;
    const same = node.peakFlops[q] === peak && ACTIVATION_BYTES_PER[PRECISIONS[q]!] === sAct;
    if (same && gemmEffMax(node.isCpuOnly, q, p) === eff) return true;
  }
  return false;
}

/**
 * Upper bounds of throughput (samples/s), samples per joule and samples per USD over every point of one workload on
 * one node, written to out[0..2] (0 when no point can be feasible). For each placement and precision, with b the
 * local batch: the iteration is at least max(busy(b) + wait(b) + flex(b), host floor, ingestion) (eq. T1), where
 * busy = compute (C1-C3, exactly alpha b + beta) + device-side embedding, wait = the other embedding terms, kernel
 * floors and what cannot overlap (bound-terms.ts); the node draws its accelerators' (CPU-only: CPUs') peak while
 * busy and their idle figure otherwise, every other part at least its lower figure (P1-P3), switch ports from two
 * nodes on (P4); parameter servers and readers only add power and cost. Per-sample figures are then non-increasing
 * in b, so they are taken at the block's largest local batch; throughput at the largest batch on the most nodes.
 * `perPlacement` (optional, 3 per placement variant of the span): the same three bounds of each variant's points
 * alone (out is their largest), so a caller can skip a whole variant without bounding it again.
 */
export function blockUpperBounds(
  node: NodeModel,
  w: WorkloadModel,
  span: BlockSpan,
  env: JobEnv,
  p: ModelParams,
  out: Float64Array,
  perPlacement?: Float64Array,
): void {
  out[0] = 0;
  out[1] = 0;
  out[2] = 0;
  perPlacement?.fill(0);
  if (node.missing.length) return; // every point is infeasible (missing-catalog-figure)
  const stack = env.vendorStacks.length ? env.vendorStacks[node.vendor]! : env.software; // eq. S3, S4
  if (!(stack.vendorMask & (1 << node.vendor))) return; // software-unsupported
  const sw = stack.efficiency;
  const cpuOnly = node.isCpuOnly;
  const G = node.devices;
  const halfRows = cpuOnly ? p.cpu_gemm_half_rows : p.gpu_gemm_half_rows;
  const memBw = cpuOnly ? node.dramBw : node.memBwPerDevice;
  const manyNodes = span.minNodes > 1; // eq. P4: switch ports
  const chassis = 1 + env.chassisOverheadFraction;
  const portW = manyNodes ? (node.nicCount * env.switchPortW) / chassis : 0;
  const otherW =
    (cpuOnly ? 0 : Math.min(node.cpuIdleW, node.cpuPeakW)) +
    node.dramW +
    Math.min(node.nicIdleW, node.nicActiveW) +
    Math.min(node.ssdIdleW, node.ssdActiveW) +
    portW;
  const busyW = (cpuOnly ? node.cpuPeakW : G * node.accPeakW) + otherW;
  const idleW = (cpuOnly ? node.cpuIdleW : G * node.accIdleW) + otherW;
  const powerFactor = env.pue * chassis;
  const capitalUsd = node.priceUsd + (manyNodes ? node.nicCount * env.switchPortUsd : 0);
  const capitalPerSecond = capitalUsd / (env.amortizationYears * HOURS_PER_YEAR * SECONDS_PER_HOUR);
  const override = env.cloudUsdPerNodeHourOverride;
  const cloudPerSecond = (Number.isNaN(override) ? node.cloudUsdPerHour : override) / SECONDS_PER_HOUR;
  // eq. D1: the node's G b samples arrive over the NICs (readers) or from the page cache
  const ingestPerSample =
    (G * w.inputBytesPerSample) / (env.readers ? node.nicBw * p.nic_eff : Math.max(node.dramBw, node.ssdBw));
  for (let k = 0; k < span.precisions.length; k++) {
    const pr = span.precisions[k]!;
    const peak = node.peakFlops[pr]!;
    if (!(peak > 0)) continue; // precision-unsupported
    const sAct = ACTIVATION_BYTES_PER[PRECISIONS[pr]!]!;
    const effMax = gemmEffMax(cpuOnly, pr, p);
    if (sameAsEarlier(node, span.precisions, k, peak, sAct, p)) continue; // fp16 and bf16 often: the same bounds
    const sPooled = pooledBytes(stack, sAct); // eq. C3, E8, S1
    computeTimeLine(w, peak, effMax, halfRows, sAct, sPooled, p.activation_passes, memBw, line);
    for (let v = 0; v < span.placements.length; v++) {
      const pl = span.placements[v]!;
      const ok = placementTerms(
        terms,
        node,
        w,
        pl,
        span.psNodes[v]!,
        span.minNodes,
        span.maxNodes,
        span.maxBatch,
        sAct,
        sPooled,
        env,
        p,
      );
      // the smallest local batch of the block: every feasible point has at least one sample per device
      const bLo = Math.max(1, span.minBatch / (G * span.maxNodes));
      if (!ok || terms.bMax < bLo * (1 - 1e-9)) continue;
      exposedExchange(node, w, pl, terms.nLo, span.maxNodes, bLo, terms.bMax, sAct, line[0]!, line[1]!, stack, p);
      // eq. F1, F2 at the most devices of the block: the fewest tables per device, so the least fixed time
      kernelFloors(floors, w, pl, G, G * span.maxNodes, 0, stack, p); // hbm-mixed: at least its table-wise count
      // per iteration at local batch b: busy (xS b + xI), waiting (yS b + yI), flex fS b, and the least total
      const xS = (line[0]! + terms.busy) / sw,
        xI = line[1]! / sw;
      const yS = (terms.wait + exposedLine[0]!) / sw,
        yI = (terms.waitFixed + exposedLine[1]!) / sw + floors.device;
      const fS = terms.flex / sw;
      // throughput = B / t_iter, largest at the largest batch on the most nodes (local batch within the cap)
      const bThr = Math.min(span.maxBatch / (G * span.maxNodes), terms.bCap);
      const tThr = Math.max((xS + yS + fS) * bThr + xI + yI, floors.host, ingestPerSample * bThr);
      const thr = (G * span.maxNodes * bThr) / tThr;
      // per sample, at the block's largest local batch: seconds of one node per sample, joules, USD
      const b = terms.bMax;
      const perSample = G * b;
      const x = xS * b + xI,
        y = yS * b + yI;
      const total = Math.max(x + y + fS * b, floors.host, ingestPerSample * b);
      const nodeSeconds = total / perSample;
      const joules = (powerFactor * leastEnergy(busyW, idleW, x, y, total)) / perSample;
      const usd = env.cloudBasis
        ? cloudPerSecond * nodeSeconds
        : capitalPerSecond * nodeSeconds + (env.electricityUsdPerKwh * joules) / 3.6e6;
      const spj = 1 / joules,
        spu = 1 / usd;
      const thrB = Number.isFinite(thr) ? thr : Infinity,
        spjB = Number.isFinite(spj) && spj > 0 ? spj : Infinity,
        spuB = Number.isFinite(spu) && spu > 0 ? spu : Infinity;
      out[0] = Math.max(out[0]!, thrB);
      out[1] = Math.max(out[1]!, spjB);
      out[2] = Math.max(out[2]!, spuB);
      if (perPlacement) {
        perPlacement[3 * v] = Math.max(perPlacement[3 * v]!, thrB);
        perPlacement[3 * v + 1] = Math.max(perPlacement[3 * v + 1]!, spjB);
        perPlacement[3 * v + 2] = Math.max(perPlacement[3 * v + 2]!, spuB);
      }
    }
  }
}
