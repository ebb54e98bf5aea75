// Lower bounds of a placement's time terms over a block of design points, for model/bounds.ts (docs/cost-model.md,
// "Bounds for pruning", which derives every line below from the equation it bounds). Pure; creates no objects.
// Each bound holds for every point of the block: a node count N in [nLo, nMax], any global batch, any precision
// given; tests/pruning.test.ts checks them against the kernel on random points.
import type { JobEnv } from "./env.ts";
import { FORWARD_AND_BACKWARD } from "./embedding.ts";
import { gatherEfficiency } from "./memory.ts";
import type { NodeModel } from "./node.ts";
import type { ModelParams } from "./params.ts";
import {
  P_AUTO,
  P_CACHE,
  P_COL,
  P_CPU,
  P_HOST,
  P_HYBRID,
  P_MIXED,
  P_PS,
  P_REPL,
  P_ROW,
  P_SSD,
  P_TABLE,
} from "./placement.ts";
import { MEMORY_RESERVE_FRACTION } from "./tiers.ts";
import { mlpStateBytes, type WorkloadModel } from "./workload.ts";

/** Bytes of an embedding id and of an fp32 value on the wire to the parameter servers (embedding.ts, eq. E9). */
const BYTES_PER_ID = 8,
  FP32_BYTES = 4;
/** eq. E10: every SSD miss reads a page and writes it back; eq. E9: a PS round trip pays two NIC latencies. */
const SSD_IOS_PER_MISS = 2,
  PS_ROUND_TRIP_LATENCIES = 2;

/**
 * Per local sample b on one device, in seconds before the stack's efficiency m (eq. S2), the lower bounds of the
 * embedding-side terms of eq. T1, and the capacity limits (eq. E8) that restrict the block:
 * - busy: device-side terms counted in u_acc (t_embedding: gathers in device memory, CPU-only gathers);
 * - wait: terms the accelerators wait on (host link, CPU gathers, SSD, parameter servers);
 * - flex: a term known in total but whose split between busy and wait depends on hit rates (hbm-cache, auto);
 * - waitFixed: seconds per iteration that do not grow with b (parameter-server latency), before m;
 * - nLo: the fewest nodes on which the placement fits (E8);
 * - bCap: the largest local batch whose activations fit beside the fewest table bytes a device (CPU-only: a
 *   node's DRAM) holds (E8);
 * - bMax: the largest local batch of the block, min(B_max / (G nLo), bCap).
 */
export class PlacementTerms {
  busy = NaN;
  wait = NaN;
  flex = NaN;
  waitFixed = NaN;
  nLo = NaN;
  bCap = NaN;
  bMax = NaN;
}

/** eq. E8: the fewest nodes holding `bytes` at `room` each, relaxed by 1e-9 so rounding never refuses a fit. */
function needNodes(bytes: number, room: number): number {
  return room > 0 ? (bytes / room) * (1 - 1e-9) : Infinity;
}

/** eq. E10 per row miss: max(IOs / IOPS, IOs x page / bandwidth), IOs = 2 per miss; Infinity without SSDs. */
function ssdSecondsPerMiss(node: NodeModel): number {
  if (node.ssdCount === 0) return Infinity;
  return SSD_IOS_PER_MISS * Math.max(1 / node.ssdIops, node.ssdPageBytes / node.ssdBw);
}

/**
 * Fills `t` for placement `pl` with `S` parameter servers on `node`, for node counts in [nMin, nMax] and global
 * batches up to `maxBatch`; false when no point of the placement can be feasible there (needs-accelerator, no-ssd,
 * capacity at every node count, a local batch below one sample). `sAct`: bytes per activation element of the
 * precision; `sPooled`: per pooled-vector element (E8, S1). The exchange (N1, N2) is bounded apart (bound-comm.ts).
 */
export function placementTerms(
  t: PlacementTerms,
  node: NodeModel,
  w: WorkloadModel,
  pl: number,
  S: number,
  nMin: number,
  nMax: number,
  maxBatch: number,
  sAct: number,
  sPooled: number,
  env: JobEnv,
  p: ModelParams,
): boolean {
  t.busy = 0;
  t.wait = 0;
  t.flex = 0;
  t.waitFixed = 0;
  t.nLo = nMin;
  let deviceFloor = 0, // E8: the fewest table bytes one device (CPU-only: one node's DRAM) holds
    hostFloor = 0;
  const G = node.devices;
  const E = w.embTrafficPerSample;
  const cpuGather = node.dramBw * gatherEfficiency(w.meanRowBytes, p.cpu_gather_eff, p.gather_half_row_bytes);
  const mlp = mlpStateBytes(w);
  const devMem = node.memBytesPerDevice * (1 - MEMORY_RESERVE_FRACTION);
  const hostCap = node.dramBytes * (1 - MEMORY_RESERVE_FRACTION);
  const cap = env.enforceCapacity;
  const ssdMiss = ssdSecondsPerMiss(node);
  if (pl === P_SSD && node.ssdCount === 0) return false; // no-ssd
  if (node.isCpuOnly) {
    if (pl === P_HOST) {
      t.busy = E / cpuGather; // E5: batch E / N over the sockets' gather rate, b = batch / N
      hostFloor = w.embBytes / nMax;
      if (cap) t.nLo = Math.max(nMin, needNodes(w.embBytes, hostCap - mlp));
    } else if (pl === P_SSD || pl === P_AUTO) {
      // E5 + E10: a share h of the traffic gathered from DRAM (busy), 1 - h of the lookups read from SSD (wait)
      t.flex = Math.min(E / cpuGather, w.lookupsPerSample * ssdMiss);
    } else if (pl !== P_PS) return false; // needs-accelerator
  } else {
    const hbm = node.memBwPerDevice * gatherEfficiency(w.meanRowBytes, p.hbm_gather_eff_max, p.gather_half_row_bytes);
    const hostGather =
      node.hostLinkBw * gatherEfficiency(w.meanRowBytes, p.host_link_eff, p.host_gather_half_row_bytes);
    // E3: a UVM read is bound by the host link and by the node's DRAM shared by its G devices
    const hostInv = Math.max(1 / hostGather, G / (node.dramBw * p.dram_random_eff));
    const pooledTrip = (FORWARD_AND_BACKWARD * w.pooledElemsPerSample * sAct) / (node.hostLinkBw * p.host_link_eff);
    if (pl === P_TABLE || pl === P_ROW || pl === P_REPL || pl === P_HYBRID || pl === P_MIXED) {
      t.busy = E / hbm; // E2, E2b, E2c, E11, E2m: at least b E bytes gathered at the E1 rate
      deviceFloor = pl === P_REPL ? w.embBytes : pl === P_TABLE ? w.maxTableBytes : 0;
      if (pl !== P_REPL) deviceFloor = Math.max(deviceFloor, w.embBytes / (G * nMax));
      if (cap && pl !== P_REPL) t.nLo = Math.max(nMin, needNodes(w.embBytes, G * (devMem - mlp)));
    } else if (pl === P_COL) {
      // E2 column-wise: the shard row shrinks as P grows, and its gather efficiency with it: best at the fewest
      const P = G * nMin;
      const shardRow = Math.max(FP32_BYTES, w.meanRowBytes / Math.min(P, Math.max(1, w.meanRowBytes / FP32_BYTES)));
      t.busy = E / (node.memBwPerDevice * gatherEfficiency(shardRow, p.hbm_gather_eff_max, p.gather_half_row_bytes));
      deviceFloor = w.embBytes / (G * nMax);
      if (cap) t.nLo = Math.max(nMin, needNodes(w.embBytes, G * (devMem - mlp)));
    } else if (pl === P_HOST) {
      t.wait = E * hostInv; // E3, nothing cached
      hostFloor = w.embBytes / nMax;
      if (cap) t.nLo = Math.max(nMin, needNodes(w.embBytes, hostCap));
    } else if (pl === P_CACHE) {
      t.flex = E * Math.min(1 / hbm, hostInv); // E3 + E4: hits at the device rate, misses over the host link
      hostFloor = w.embBytes / nMax;
      if (cap) t.nLo = Math.max(nMin, needNodes(w.embBytes, hostCap));
    } else if (pl === P_CPU) {
      t.wait = (G * E) / cpuGather + pooledTrip; // E5: the node's G b samples gathered by its CPUs
      hostFloor = w.embBytes / nMax;
      if (cap) t.nLo = Math.max(nMin, needNodes(w.embBytes, hostCap));
    } else if (pl === P_SSD) {
      // E5 + E10: DRAM hits gathered by the CPUs, misses read from SSD; pooled vectors over the host link
      t.wait = pooledTrip + G * Math.min(E / cpuGather, w.lookupsPerSample * ssdMiss);
    } else if (pl === P_AUTO) {
      // E6: shares in device memory, host DRAM and SSD sum to 1
      t.flex = E * Math.min(1 / hbm, hostInv, (G * w.lookupsPerSample * ssdMiss) / E);
    }
  }
  if (pl === P_PS) {
    const ps = env.psNode;
    if (!(S > 0)) return false; // no servers: ps-dram-capacity or a time fault in the kernel
    if (cap && w.embBytes / S > ps.dramBytes * (1 - MEMORY_RESERVE_FRACTION)) return false; // E8
  }
  if (
    !finishBatch(
      t,
      node,
      w,
      nMax,
      maxBatch,
      sPooled,
      cap ? (node.isCpuOnly ? hostCap - mlp : devMem - mlp) : Infinity,
      node.isCpuOnly ? hostFloor : deviceFloor,
    )
  )
    return false;
  if (pl === P_PS) {
    const ps = env.psNode;
    // E9: the largest of trainer NIC, server NICs and server gathers; the servers' two grow with N (taken at nLo).
    // Each is (slope per b) b + intercept; the one largest at the block's largest b is kept.
    const sparse = w.lookupsPerSample * BYTES_PER_ID + FORWARD_AND_BACKWARD * w.pooledElemsPerSample * sAct;
    const dense = 2 * w.denseParams * FP32_BYTES;
    const nic = node.nicBw * p.nic_eff,
      psNic = S * ps.nicBw * p.nic_eff;
    const psGather = S * ps.dramBw * gatherEfficiency(w.meanRowBytes, p.cpu_gather_eff, p.gather_half_row_bytes);
    const n = t.nLo,
      b = t.bMax;
    let slope = (G * sparse) / nic,
      icpt = dense / nic;
    const slope2 = (G * n * sparse) / psNic,
      icpt2 = (n * dense) / psNic;
    if (slope2 * b + icpt2 > slope * b + icpt) {
      slope = slope2;
      icpt = icpt2;
    }
    const slope3 = (G * n * E) / psGather;
    if (slope3 * b > slope * b + icpt) {
      slope = slope3;
      icpt = 0;
    }
    t.wait += slope;
    t.waitFixed += icpt + PS_ROUND_TRIP_LATENCIES * node.nicLatencyS;
  }
  return true;
}

/** eq. E8: activations kept for the backward, 2 b (sum of layer widths x 4 + pooled elements x s_p) bytes. */
function keptActivationBytesPerSample(w: WorkloadModel, sPooled: number): number {
  let act = 0;
  for (let i = 0; i < w.layerOut.length; i++) act += w.layerOut[i]!;
  return 2 * (act * FP32_BYTES + w.pooledElemsPerSample * sPooled);
}

/**
 * bCap and bMax of `t` (see PlacementTerms); false when the largest local batch is below one sample (then every
 * point is batch-smaller-than-devices or over capacity) or the placement fits on no node count of the block.
 */
function finishBatch(
  t: PlacementTerms,
  node: NodeModel,
  w: WorkloadModel,
  nMax: number,
  maxBatch: number,
  sPooled: number,
  room: number,
  floorBytes: number,
): boolean {
  if (!(t.nLo <= nMax)) return false;
  t.bCap = (room - floorBytes) / keptActivationBytesPerSample(w, sPooled);
  t.bMax = Math.min(maxBatch / (node.devices * t.nLo), t.bCap);
  return t.bMax >= 1 - 1e-9;
}
