// Compute terms. Equations: docs/cost-model.md section C.
import type { WorkloadModel } from "./workload.ts";

/**
 * eq. C1: forward + backward time of one GEMM of `flopFwd` forward FLOP on a device of `peak` FLOP/s.
 * Efficiency grows with size, eff = e_max * f / (f + f_half); backward costs twice the forward, so
 * t = 3 f / (peak * eff) = 3 (f + f_half) / (peak * e_max).
 */
export function gemmTime(flopFwd: number, peak: number, effMax: number, halfFlop: number): number {
  return (3 * (flopFwd + halfFlop)) / (peak * effMax);
}

export interface ComputeTimes {
  /** all MLP layers and the interaction, forward and backward: the compute communication can hide behind (eq. T1) */
  total: number;
}

/**
 * eq. C3: memory-bound work around the GEMMs (activation functions, the interaction's inputs, their gradients):
 * every activation element of `bytesPerElem` bytes crosses device memory `passes` times per iteration.
 */
export function activationTime(
  b: number,
  activationElemsPerSample: number,
  bytesPerElem: number,
  passes: number,
  memBw: number,
): number {
  return (b * activationElemsPerSample * bytesPerElem * passes) / memBw;
}

/**
 * eq. C1 over every MLP layer, eq. C2 for the interaction and eq. C3 for the activations, for a local batch of
 * `b` samples. Writes into `out` (callers on the hot path reuse one object) and returns it.
 */
export function computeTimes(
  w: WorkloadModel,
  b: number,
  peak: number,
  effMax: number,
  halfFlop: number,
  bytesPerElem: number,
  passes: number,
  memBw: number,
  out: ComputeTimes = { total: 0 },
): ComputeTimes {
  let total = 0;
  for (let i = 0; i < w.layerIn.length; i++)
    total += gemmTime(2 * b * w.layerIn[i]! * w.layerOut[i]!, peak, effMax, halfFlop);
  if (w.interactionFlopPerSample > 0) total += gemmTime(b * w.interactionFlopPerSample, peak, effMax, halfFlop);
  out.total = total + activationTime(b, w.activationElemsPerSample, bytesPerElem, passes, memBw);
  return out;
}
