// The embedding terms of one design point, per placement: docs/cost-model.md section E (E2-E11). Called by the
// kernel (evaluate.ts) once per point; writes into a scratch object the caller reuses and creates no objects.
import type { JobEnv } from "./env.ts";
import { gatherEfficiency } from "./memory.ts";
import type { NodeModel } from "./node.ts";
import type { ModelParams } from "./params.ts";
import { mixedBoundary, mixedBytesPerDevice } from "./mixed.ts";
import {
  P_CACHE,
  P_COL,
  P_CPU,
  P_HOST,
  P_HYBRID,
  P_MIXED,
  P_PS,
  P_REPL,
  P_ROW,
  P_SPLIT,
  P_SSD,
  P_TABLE,
} from "./placement.ts";
import { R } from "./result.ts";
import { frequentThreshold } from "./frequent.ts";
import { FITS_ROUNDING, MEMORY_RESERVE_FRACTION, type TierContext } from "./tiers.ts";
import type { WorkloadModel } from "./workload.ts";

/** Bytes of an fp32 value: table weights and MLP parameters are kept at fp32 (the smallest column shard, E2). */
export const FP32_BYTES = 4;

/**
 * Bytes of one embedding id sent to a parameter server (eq. E9): 64-bit ids, as in the PyTorch DLRM reference and
 * TorchRec (KeyedJaggedTensor ids are int64) and in HugeCTR's DLRM samples (i64_input_key = True). Input files
 * store ids as int32 (eq. D1); on the wire to the servers they are int64.
 */
export const BYTES_PER_ID = 8;

/** Pooled embeddings cross once forward and their gradients once backward (eq. N1, E5, E9, E11). */
export const FORWARD_AND_BACKWARD = 2;

/** The dense parameters are pulled from and pushed to the parameter servers every iteration (eq. E9). */
const PULL_AND_PUSH = 2;

/** A parameter-server round trip: request and response each pay one NIC latency (eq. E9). */
const PS_ROUND_TRIP_LATENCIES = 2;

/** Every SSD miss reads a page and later writes it back (eq. E10). */
const SSD_READ_AND_WRITE_BACK = 2;

/**
 * What section E yields for one point: time terms before the software stack's efficiency, the exchange payloads,
 * busy times for power and the bytes placed per tier. A class whose numeric fields start as doubles, so one hidden
 * class serves every point.
 */
export class EmbeddingTerms {
  /** gathers from device memory (E2, E2b, E2c, E11; cache hits of E3; CPU-only trainers, E5) */
  embedding = NaN;
  /** reads over the host link, or CPU gathers plus the pooled vectors' trip over it (E3, E5, E6) */
  hostlink = NaN;
  /** remote parameter servers (E9) */
  ps = NaN;
  /** SSD misses (E10) */
  storage = NaN;
  /** all-to-all payload per device, each way (N1) */
  alltoallBytes = NaN;
  /** embedding gradients that join the dense all-reduce (E2c, E11) */
  extraAllreduceBytes = NaN;
  /** true: the all-to-all runs between nodes only (one device per node: CPU lookups, E5) */
  alltoallAcrossNodesOnly = false;
  /** busy times of the host CPUs and of the parameter servers' NICs and CPUs, for power (P1) */
  cpuBusy = NaN;
  psNicBusy = NaN;
  psCpuBusy = NaN;
  /** table bytes per device (whole tables, the HBM cache or hbm-split's HBM part) and per node's host DRAM (E8) */
  onDeviceBytes = NaN;
  onHostBytesPerNode = NaN;
  /** hbm-cache: the HBM cache's hit rate; ssd-cached: host DRAM's (E4); NaN otherwise */
  cacheHit = NaN;
  /** tables split over every device (hbm-mixed's row-wise ones, E2m), for the kernel count of eq. F1 */
  splitTables = 0;
}

/**
 * Section E for one point: fills `e` and returns 0, or an infeasibility code (ps-dram-capacity, E8 and E9).
 * `placement` a concrete one (the kernel resolves `auto` first, E6), `nodes` trainer nodes, `batch` global batch,
 * `sAct` bytes per activation element, `psNodes` parameter servers (remote-ps), `hbmShare` the share of the tables'
 * bytes in accelerator memory for hbm-cache and hbm-split (0..1; E4, E12), `hbmLeft` device bytes left after the
 * reserve, MLP state and activations (hbm-mixed splits tables until its plan fits them, E2m).
 */
export function embeddingTerms(
  e: EmbeddingTerms,
  node: NodeModel,
  w: WorkloadModel,
  tiers: TierContext,
  nodes: number,
  placement: number,
  batch: number,
  sAct: number,
  psNodes: number,
  hbmShare: number,
  hbmLeft: number,
  env: JobEnv,
  p: ModelParams,
): number {
  e.embedding = 0;
  e.hostlink = 0;
  e.ps = 0;
  e.storage = 0;
  e.alltoallBytes = 0;
  e.extraAllreduceBytes = 0;
  e.alltoallAcrossNodesOnly = false;
  e.cpuBusy = 0;
  e.psNicBusy = 0;
  e.psCpuBusy = 0;
  e.onDeviceBytes = 0;
  e.onHostBytesPerNode = 0;
  e.cacheHit = NaN;
  e.splitTables = 0;
  const G = node.devices,
    N = nodes,
    P = G * N;
  const b = batch / P; // local batch per device
  const bNode = batch / N;
  const E = w.embTrafficPerSample; // eq. E0
  const nicBw = node.nicBw * p.nic_eff;
  const latNic = node.nicLatencyS;
  // eq. E1: gather efficiency of the mean row in device memory (over the host link and by the host CPUs: in the
  // branches that read them, since few points need them)
  const hbmGatherBw =
    node.memBwPerDevice * gatherEfficiency(w.meanRowBytes, p.hbm_gather_eff_max, p.gather_half_row_bytes);
  const tableWiseBytes = Math.max((batch * E) / P, batch * w.maxTableTrafficPerSample); // eq. E2
  const pooledPerDevice = b * w.pooledElemsPerSample * sAct; // eq. N1 payload
  const a2aTableWise = (pooledPerDevice * (P - 1)) / P; // eq. N1, table-wise
  const tableWisePerDevice = Math.max(w.embBytes / P, w.maxTableBytes); // eq. E2, E8: whole tables per device

  if (node.isCpuOnly) {
    // eq. E5, CPU trainers: tables in local DRAM (and SSD behind it, E10), sharded across nodes; the sockets gather.
    if (placement === P_HOST || placement === P_SSD) {
      const cpuGather = cpuGatherBw(node, w, p);
      let inDram = 1;
      if (placement === P_HOST) e.onHostBytesPerNode = w.embBytes / N;
      else {
        inDram = tiers.dramCacheHit; // eq. E4 with host DRAM as the cache
        e.cacheHit = inDram;
      }
      e.embedding = Math.max((batch * E * inDram) / N, batch * w.maxTableTrafficPerSample * inDram) / cpuGather;
      if (inDram < 1) e.storage = ssdTime((batch * w.lookupsPerSample * (1 - inDram)) / N, node);
      e.alltoallBytes = N > 1 ? (bNode * w.pooledElemsPerSample * sAct * (N - 1)) / N : 0;
      e.alltoallAcrossNodesOnly = true;
    }
  } else if (placement === P_TABLE) {
    // eq. E2: whole tables per device; the busiest table bounds the balance
    e.onDeviceBytes = tableWisePerDevice;
    e.embedding = tableWiseBytes / hbmGatherBw;
    e.alltoallBytes = a2aTableWise;
  } else if (placement === P_ROW) {
    // eq. E2b: balanced gathers; a reduce-scatter of partial sums for all B samples
    e.onDeviceBytes = w.embBytes / P;
    e.embedding = (batch * E) / P / hbmGatherBw;
    e.alltoallBytes = (batch * w.pooledElemsPerSample * sAct * (P - 1)) / P;
  } else if (placement === P_MIXED) {
    // eq. E2m: the largest tables, as few as fit, row-wise (E2b: balanced gathers, partial sums for all B samples);
    // the rest whole, table-wise (E2: the busiest whole table bounds the balance)
    const plan = w.splitPlan;
    const i = mixedBoundary(plan, w.embBytes, P, hbmLeft * FITS_ROUNDING);
    const eSplit = plan.traffic[i]!,
      dSplit = plan.pooled[i]!;
    e.onDeviceBytes = mixedBytesPerDevice(plan, w.embBytes, P, i);
    e.splitTables = plan.tables[i]!;
    const wholeBytes = Math.max((batch * (E - eSplit)) / P, batch * plan.restMaxTraffic[i]!);
    e.embedding = (wholeBytes + (batch * eSplit) / P) / hbmGatherBw;
    e.alltoallBytes = ((b * (w.pooledElemsPerSample - dSplit) + batch * dSplit) * sAct * (P - 1)) / P;
  } else if (placement === P_COL) {
    // eq. E2, column-wise: balanced, with rows of r / min(P, r / 4) bytes (at least one fp32 element), lower E1
    e.onDeviceBytes = w.embBytes / P;
    const shardRow = Math.max(FP32_BYTES, w.meanRowBytes / Math.min(P, Math.max(1, w.meanRowBytes / FP32_BYTES)));
    const shardGather = gatherEfficiency(shardRow, p.hbm_gather_eff_max, p.gather_half_row_bytes);
    e.embedding = (batch * E) / P / (node.memBwPerDevice * shardGather);
    e.alltoallBytes = a2aTableWise;
  } else if (placement === P_REPL) {
    // eq. E2c: every device holds every table; dense gradient all-reduce of whole tables
    e.onDeviceBytes = w.embBytes;
    e.embedding = (b * E) / hbmGatherBw;
    e.extraAllreduceBytes = w.embWeightBytes * (sAct / FP32_BYTES);
  } else if (placement === P_HYBRID) {
    // eq. E11: HugeCTR's frequent rows are replicated on every device (local lookups, a dense all-reduce of their
    // gradients); the rest are sharded table-wise and only their lookups cross the all-to-all. Which rows are
    // frequent is HugeCTR's own rule (frequent.ts): it depends on batch, devices and nodes, not on the hardware.
    const f = tiers.frequentAt(frequentThreshold(batch, G, N));
    const h = f[0]!;
    e.embedding = (b * E * h + tableWiseBytes * (1 - h)) / hbmGatherBw;
    e.alltoallBytes = a2aTableWise * (1 - h); // eq. N1
    e.extraAllreduceBytes = f[2]! * (sAct / FP32_BYTES); // eq. N2
    e.onDeviceBytes = tableWisePerDevice + f[1]!; // eq. E8: whole tables, plus the replicated frequent rows
  } else if (placement === P_HOST || placement === P_CACHE || placement === P_SPLIT) {
    // eq. E3: tables sharded table-wise in host DRAM, read by their GPU over its host link (UVM).
    // hbm-cache (E4): a cache of the hottest `hbmShare` of every table's rows in device memory, in front of the
    // full copy in host DRAM; hits are served as E2. hbm-split (E12): `hbmShare` of every table's rows live in
    // device memory and the rest only in host DRAM, rows placed by id, so device memory serves that share of lookups.
    const inHbm = placement === P_CACHE ? tiers.cacheHitAt(hbmShare) : placement === P_SPLIT ? hbmShare : 0;
    if (placement === P_CACHE) e.cacheHit = inHbm;
    e.onDeviceBytes = placement === P_HOST ? 0 : hbmShare * tableWisePerDevice;
    e.onHostBytesPerNode = placement === P_SPLIT ? ((1 - hbmShare) * w.embBytes) / N : w.embBytes / N;
    e.embedding = (tableWiseBytes * inHbm) / hbmGatherBw;
    const missBytes = tableWiseBytes * (1 - inHbm);
    const hostGather =
      node.hostLinkBw * gatherEfficiency(w.meanRowBytes, p.host_link_eff, p.host_gather_half_row_bytes);
    e.hostlink =
      missBytes > 0 ? Math.max(missBytes / hostGather, (G * missBytes) / (node.dramBw * p.dram_random_eff)) : 0;
    e.alltoallBytes = a2aTableWise;
  } else if (placement === P_CPU || placement === P_SSD) {
    // eq. E5: host CPUs gather from DRAM (and SSD behind a DRAM cache, E10); pooled vectors and their gradients
    // cross the host link
    const hit = placement === P_SSD ? tiers.dramCacheHit : 1;
    if (placement === P_SSD) e.cacheHit = hit;
    if (placement === P_CPU) e.onHostBytesPerNode = w.embBytes / N;
    const cpuT = Math.max((batch * E * hit) / N, batch * w.maxTableTrafficPerSample * hit) / cpuGatherBw(node, w, p);
    if (hit < 1) e.storage = ssdTime((batch * w.lookupsPerSample * (1 - hit)) / N, node);
    e.hostlink = cpuT + (FORWARD_AND_BACKWARD * pooledPerDevice) / (node.hostLinkBw * p.host_link_eff);
    e.cpuBusy = cpuT;
    e.alltoallBytes = N > 1 ? (bNode * w.pooledElemsPerSample * sAct * (N - 1)) / N : 0; // eq. N1 with G = 1
    e.alltoallAcrossNodesOnly = true;
  }
  if (placement === P_PS) {
    // eq. E9: sparse and dense parameter servers on separate nodes, reached over the NICs.
    const ps = env.psNode;
    const S = psNodes;
    if (env.enforceCapacity && w.embBytes / S > ps.dramBytes * (1 - MEMORY_RESERVE_FRACTION)) {
      return R["ps-dram-capacity"]!; // eq. E8
    }
    // ids out, pooled vectors back, their gradients out: b_node (8 L + 2 sum D_t s_a) bytes per node
    const sparseBytesPerSample =
      w.lookupsPerSample * BYTES_PER_ID + FORWARD_AND_BACKWARD * w.pooledElemsPerSample * sAct;
    const denseSync = PULL_AND_PUSH * w.denseParams * FP32_BYTES;
    const trainerNic = (bNode * sparseBytesPerSample + denseSync) / nicBw;
    const psNic = (batch * sparseBytesPerSample + N * denseSync) / (S * ps.nicBw * p.nic_eff);
    const psGather = gatherEfficiency(w.meanRowBytes, p.cpu_gather_eff, p.gather_half_row_bytes); // eq. E1
    const psCpu = (batch * E) / (S * ps.dramBw * psGather);
    e.ps = Math.max(trainerNic, psNic, psCpu) + PS_ROUND_TRIP_LATENCIES * latNic;
    e.psNicBusy = psNic;
    e.psCpuBusy = psCpu;
  }
  return 0;
}

/** eq. E1: bandwidth of the host CPUs' gathers of the mean row from DRAM. */
function cpuGatherBw(node: NodeModel, w: WorkloadModel, p: ModelParams): number {
  return node.dramBw * gatherEfficiency(w.meanRowBytes, p.cpu_gather_eff, p.gather_half_row_bytes);
}

/**
 * eq. E10: SSD time for `misses` row reads per node: each reads and later writes back one page; IOPS- or
 * bandwidth-bound.
 */
export function ssdTime(misses: number, node: NodeModel): number {
  if (misses <= 0) return 0;
  const ios = SSD_READ_AND_WRITE_BACK * misses;
  return Math.max(ios / node.ssdIops, (ios * node.ssdPageBytes) / node.ssdBw);
}
