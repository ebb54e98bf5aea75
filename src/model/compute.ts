// Compute terms. Equations: docs/cost-model.md section C.
import type { NodeModel } from "./node.ts";
import type { ModelParams } from "./params.ts";
import type { WorkloadModel } from "./workload.ts";

/**
 * eq. C1: forward + backward work of one GEMM of `flopFwd` forward FLOP over `rows` activation rows (the local
 * batch) on a device of `peak` FLOP/s. Efficiency grows with the rows (tile and wave quantisation),
 * eff = e_max * m / (m + m_half); backward costs twice the forward, so t = 3 f (m + m_half) / (m peak e_max).
 * The kernels' fixed costs are not here: eq. K1 counts them once per kernel, whatever the precision's peak.
 */
/** Index of fp32 in PRECISIONS: the one precision an accelerator runs on its SIMT cores, not its matrix engines. */
const FP32 = 0;

/**
 * The peak share a large GEMM reaches (e_max of eq. C1) for a precision index of PRECISIONS: CPUs by their ISA
 * peak; accelerators at fp32 on their SIMT cores, at every other precision (tf32, fp16, bf16, fp8) on their matrix
 * engines (tensor or matrix cores), whose peak is harder to reach with the narrow layers of recommendation MLPs.
 */
export function gemmEffMax(cpuOnly: boolean, precision: number, p: ModelParams): number {
  return cpuOnly ? p.cpu_gemm_eff_max : precision === FP32 ? p.gpu_gemm_eff_max : p.tensor_gemm_eff_max;
}

export function gemmTime(flopFwd: number, rows: number, peak: number, effMax: number, halfRows: number): number {
  return (3 * flopFwd * (rows + halfRows)) / (rows * peak * effMax);
}

export interface ComputeTimes {
  /** all MLP layers and the interaction, forward and backward: the compute communication can hide behind (eq. T1) */
  total: number;
}

/**
 * eq. C3: memory-bound work around the GEMMs (activation functions, the interaction's inputs, their gradients):
 * every activation byte of a sample (`bytesPerSample`) crosses device memory `passes` times per iteration.
 */
export function activationTime(b: number, bytesPerSample: number, passes: number, memBw: number): number {
  return (b * bytesPerSample * passes) / memBw;
}

/**
 * eq. C3: a sample's activation bytes: the MLP layers' outputs at the training precision's `bytesPerElem`, the
 * pooled vectors at `pooledBytesPerElem` (fp32 where the stack keeps its tables fp32 under half precision, S1).
 */
export function activationBytesPerSample(w: WorkloadModel, bytesPerElem: number, pooledBytesPerElem: number): number {
  return w.layerOutElems * bytesPerElem + w.pooledElemsPerSample * pooledBytesPerElem;
}

/**
 * eq. C1 over every MLP layer, eq. C2 for the interaction and eq. C3 for the activations, for a local batch of
 * `b` samples; the bottom MLP's layers over `bottomRows` samples (eq. C5: the whole batch where a stack runs the
 * bottom MLP on one device, else `b`). Writes into `out` (callers on the hot path reuse one object) and returns it.
 */
export function computeTimes(
  w: WorkloadModel,
  b: number,
  bottomRows: number,
  peak: number,
  effMax: number,
  halfRows: number,
  bytesPerElem: number,
  pooledBytesPerElem: number,
  passes: number,
  memBw: number,
  out: ComputeTimes = { total: 0 },
): ComputeTimes {
  // eq. C1 summed over layers in closed form: 3 x 2 m in out (m + m_half) / (m peak e_max) per layer, m cancels
  const perFlop = 3 / (peak * effMax);
  let total = 2 * perFlop * (w.bottomMacsPerRow * (bottomRows + halfRows) + w.topMacsPerRow * (b + halfRows));
  if (w.interactionFlopPerSample > 0) total += perFlop * w.interactionFlopPerSample * (b + halfRows); // eq. C2
  total += activationTime(b, activationBytesPerSample(w, bytesPerElem, pooledBytesPerElem), passes, memBw);
  // eq. C5: the bottom MLP's activations of the samples beyond the device's own
  if (bottomRows > b) total += activationTime(bottomRows - b, w.bottomOutElems * bytesPerElem, passes, memBw);
  out.total = total;
  return out;
}

/**
 * eq. C1-C3, C5 on `node` at a PRECISIONS index: the GEMM efficiency of its matrix engines or vector units, its
 * half-rows, and its device memory (the CPUs' DRAM on a CPU-only node) for the activations (`pooledBytesPerElem`:
 * see activationBytesPerSample).
 */
export function nodeComputeTimes(
  w: WorkloadModel,
  node: NodeModel,
  precision: number,
  b: number,
  bottomRows: number,
  peak: number,
  bytesPerElem: number,
  pooledBytesPerElem: number,
  p: ModelParams,
  out: ComputeTimes,
): ComputeTimes {
  const effMax = gemmEffMax(node.isCpuOnly, precision, p);
  const halfRows = node.isCpuOnly ? p.cpu_gemm_half_rows : p.gpu_gemm_half_rows;
  const memBw = node.isCpuOnly ? node.dramBw : node.memBwPerDevice;
  const passes = p.activation_passes;
  return computeTimes(w, b, bottomRows, peak, effMax, halfRows, bytesPerElem, pooledBytesPerElem, passes, memBw, out);
}
