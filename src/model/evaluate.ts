// The kernel: scores one design point into a row of a Float64Array (docs/cost-model.md, whose equation ids the
// comments use). Pure; no objects. The hot loop calls it; other callers use scorePoint (score-point.ts).
import { PRECISIONS } from "../schema/vocab.ts";
import { allReduceOnShape, allToAllOnShape, allToAllTime, CollectiveShape, collectiveShape } from "./comm.ts";
import { type ComputeTimes, nodeComputeTimes } from "./compute.ts";
import { EmbeddingTerms, embeddingTerms, FORWARD_AND_BACKWARD, FP32_BYTES } from "./embedding.ts";
import type { JobEnv } from "./env.ts";
import { FloorsMemo } from "./kernels.ts";
import { costFault, timeFault } from "./faults.ts";
import { serverPower } from "./power.ts";
import { exchangeBytes, pooledBytes, stackOffers } from "./software.ts";
import type { NodeModel } from "./node.ts";
import type { ModelParams } from "./params.ts";
import { needsAccelerator, P_AUTO, P_CACHE, P_HYBRID, P_PS, P_SPLIT, P_SSD, resolvePlacement } from "./placement.ts";
import { BOTTLENECKS, C, FIRST_TERM_COLUMN, R, type PointDetail } from "./result.ts";
import { FITS_ROUNDING, MEMORY_RESERVE_FRACTION, type TierContext } from "./tiers.ts";
import { ACTIVATION_BYTES_PER, HOURS_PER_YEAR, SECONDS_PER_HOUR, wattsToKw } from "./units.ts";
import { mlpStateBytes, type WorkloadModel } from "./workload.ts";

/** s_a, bytes per activation and gradient element, per PRECISIONS entry (units.ts; docs/cost-model.md, symbols) */
const ACTIVATION_BYTES = PRECISIONS.map((p) => ACTIVATION_BYTES_PER[p]!);

/** eq. E8: activations are kept for the backward pass: 2 b (sum of layer widths x 4 + sum D_t s_a) bytes. */
const ACTIVATION_COPIES = 2;
/** Terms of the time line (T1), in the order of BOTTLENECKS and of the t_*_s columns from FIRST_TERM_COLUMN. */
const TERMS = BOTTLENECKS.length;
// Scratch results reused by every call: the hot loop creates no objects (GC ~4 % of the raw loop, --cpu-prof).
const compScratch: ComputeTimes = { total: 0 };
const embScratch = new EmbeddingTerms();
const a2aScratch = { time: 0, nicTime: 0 }; // CollectiveTime
const arScratch = { time: 0, nicTime: 0 };
const floorsMemo = new FloorsMemo();
const shapeScratch = new CollectiveShape();

function fail(out: Float64Array, o: number, code: number): number {
  out[o + C.infeasible] = code;
  return code;
}
/**
 * Writes the scored point into out[o .. o+NCOLS): every column of a feasible point; of a rejected one its code and the
 * figures computed before it was rejected, the rest left as it was (zeroing the row cost 14 % of the raw loop: a
 * caller reading a rejected point's figures passes a zeroed row, as scorePoint does). Returns the infeasibility code.
 * placement: index into PLACEMENTS; precision: index into PRECISIONS; psNodes: parameter servers for remote-ps;
 * hbmShare: hbm-cache's and hbm-split's share of the tables' bytes in accelerator memory (0..1], NaN: as much as fits.
 */
export function evaluatePoint(
  out: Float64Array,
  o: number,
  node: NodeModel,
  w: WorkloadModel,
  tiers: TierContext,
  nodes: number,
  placement: number,
  batch: number,
  precision: number,
  psNodes: number,
  hbmShare: number,
  env: JobEnv,
  p: ModelParams,
  detail?: PointDetail,
): number {
  out[o + C.placement_resolved] = placement;
  out[o + C.hbm_cache_share] = 0;
  if (node.missing.length) return fail(out, o, R["missing-catalog-figure"]!);
  const G = node.devices,
    N = nodes,
    P = G * N;
  if (node.isCpuOnly && needsAccelerator(placement)) return fail(out, o, R["needs-accelerator"]!);
  if (batch < P) return fail(out, o, R["batch-smaller-than-devices"]!);
  const peak = node.peakFlops[precision]!;
  if (!(peak > 0)) return fail(out, o, R["precision-unsupported"]!);
  if (placement === P_SSD && node.ssdCount === 0) return fail(out, o, R["no-ssd"]!);
  const stack = env.vendorStacks.length ? env.vendorStacks[node.vendor]! : env.software; // eq. S4: named or vendor's
  if (!stackOffers(stack, node.vendor, placement === P_HYBRID)) return fail(out, o, R["software-unsupported"]!); // S3

  const b = batch / P; // local batch per device
  const bNode = batch / N;
  const sAct = ACTIVATION_BYTES[precision]!,
    sPooled = pooledBytes(stack, sAct); // eq. C3, S1: the pooled vectors at the tables' fp32, or at sAct
  // ---- compute (eq. C1, C2, C3)
  const bottomRows = stack.bottomMlpOnOneDevice && P > 1 && !node.isCpuOnly ? batch : b; // eq. C5 (GPU code)
  const comp = nodeComputeTimes(w, node, precision, b, bottomRows, peak, sAct, sPooled, p, compScratch);

  // ---- capacity (eq. E7, E8)
  const mlpBytes = mlpStateBytes(w); // eq. E7
  // eq. E8: activations kept for the backward pass
  const activationBytes = ACTIVATION_COPIES * b * (w.layerOutElems * FP32_BYTES + w.pooledElemsPerSample * sPooled);
  const devMem = node.memBytesPerDevice * (1 - MEMORY_RESERVE_FRACTION);
  const hostCap = node.dramBytes * (1 - MEMORY_RESERVE_FRACTION);
  // eq. E6, E4/E12, E8: auto's choice, the HBM share of hbm-cache and hbm-split after activations, their capacity
  const hbmLeft = devMem - mlpBytes - activationBytes;
  out[o + C.hbm_cache_share] = NaN;
  if (placement === P_AUTO || placement === P_CACHE || placement === P_SPLIT) {
    const to = resolvePlacement(out, o, node, w, placement, hbmShare, N, hbmLeft, hostCap, env.enforceCapacity);
    if (to < 0) return fail(out, o, -to);
    placement = to; // a small integer, as the argument was: a double read from `out` deoptimised the kernel
  }
  const share = out[o + C.hbm_cache_share]! || 0; // NaN: no HBM share
  // eq. N4: staged through host memory on PCIe, and off a device's NVLinks where the stack needs peer access
  const staged = node.directPeerShare === 0 ? 1 : stack.p2pRequired ? 1 - node.directPeerShare : 0;
  const fabricA2a =
    staged > 0
      ? 1 / ((1 - staged) / (node.fabricArBw * p.fabric_eff) + staged / (node.stagedBw * p.staged_eff))
      : node.fabricA2aBw * p.fabric_eff;
  const fabricAr = node.fabricArBw * p.fabric_eff;
  const nicBw = node.nicBw * p.nic_eff;
  const lat = p.collective_latency_s,
    latNic = node.nicLatencyS;
  // ---- embedding terms per placement (section E, eq. E0-E12: embedding.ts)
  const e = embScratch;
  const sEmb = exchangeBytes(stack, sAct); // eq. S1: the exchange's bytes per element
  const embCode = embeddingTerms(e, node, w, tiers, N, placement, batch, sEmb, psNodes, share, hbmLeft, env, p);
  if (embCode !== 0) return fail(out, o, embCode);
  const onDevice = e.onDeviceBytes,
    onHostPerNode = e.onHostBytesPerNode; // eq. E8: capacity checks
  if (env.enforceCapacity) {
    const devUsed = onDevice + mlpBytes + activationBytes; // a cache filling HBM meets devMem up to FITS_ROUNDING
    if (!node.isCpuOnly && devUsed > devMem * FITS_ROUNDING) return fail(out, o, R["hbm-capacity"]!);
    if (node.isCpuOnly && mlpBytes + activationBytes + onHostPerNode > hostCap) {
      return fail(out, o, R["host-dram-capacity"]!);
    }
    if (!node.isCpuOnly && onHostPerNode > hostCap) return fail(out, o, R["host-dram-capacity"]!);
  }

  // ---- communication (section N; eq. N6: the levels, with rack-scale fabric domains)
  const s = collectiveShape(shapeScratch, G, N, node.domainNodes, fabricAr, nicBw);
  const a2a = e.alltoallAcrossNodesOnly
    ? allToAllTime(e.alltoallBytes, 1, N, 1, nicBw, lat, latNic, a2aScratch) // eq. N1 with G = 1 (E5)
    : allToAllOnShape(e.alltoallBytes, s, fabricA2a, lat, latNic, a2aScratch); // eq. N1
  const a2aTime = FORWARD_AND_BACKWARD * a2a.time; // t_a2a of eq. T1
  const gradBytes = placement === P_PS ? 0 : w.denseParams * sAct + e.extraAllreduceBytes; // eq. N2 (E9: on the PS)
  const ar = allReduceOnShape(gradBytes, s, fabricAr, lat, latNic, arScratch); // eq. N2
  const arTime = ar.time; // t_ar of eq. T1

  // ---- data ingestion (eq. D1), overlapped with everything: with readers, every trainer node receives its
  // samples over its NICs; reading locally, from the page cache (SSDs behind it only ever add bandwidth).
  const ingestBw = env.readers ? nicBw : Math.max(node.dramBw, node.ssdBw);
  const tDataIngest = (bNode * w.inputBytesPerSample) / ingestBw;

  // ---- time line (eq. T1)
  const sw = stack.efficiency; // m of eq. S2
  // eq. T1: pipelined trainers overlap the all-to-all of the next batch and the gradient all-reduce with dense
  // compute. Both share one window: the exposed part is what the overlappable compute cannot hide, split
  // between the two in proportion for the breakdown.
  const comm = a2aTime + arTime;
  const exposed = stack.pipelined ? Math.max(0, comm - p.overlap * comp.total) : comm;
  const exposedA2a = comm > 0 ? (exposed * a2aTime) / comm : 0;
  const exposedAr = comm > 0 ? (exposed * arTime) / comm : 0;
  const tCompute = comp.total / sw,
    tEmbedding = e.embedding / sw;
  const tAlltoall = exposedA2a / sw,
    tAllreduce = exposedAr / sw;
  const tHostlink = e.hostlink / sw,
    tPs = e.ps / sw,
    tStorage = e.storage / sw;
  // eq. F1, F2: the host issues the step asynchronously (T1: max(host, device)), except where a per-table backward
  // synchronises: those tables' backward host operators and device time (kernels, gathers' share) add (eq. F3)
  const floors = floorsMemo.get(w, placement, G, P, e.splitTables, stack, p);
  const tDevice = tCompute + tEmbedding + tAlltoall + tAllreduce + tHostlink + tPs + tStorage + floors.device;
  const serialHost = node.isCpuOnly ? 0 : floors.serialHost; // CPU trainers have no device to wait for
  const serial = serialHost > 0 ? floors.serialDevice + tEmbedding * w.embBackwardShare : 0;
  const tWork = Math.max(tDevice - serial, floors.host - serialHost) + serialHost + serial;
  const tOverhead = floors.device + tWork - tDevice;
  const tData = Math.max(0, tDataIngest - tWork); // eq. T1: then max with D1
  const tIter = tWork + tData;
  const throughput = batch / tIter;
  out[o + C.t_compute_s] = tCompute;
  out[o + C.t_embedding_s] = tEmbedding;
  out[o + C.t_alltoall_s] = tAlltoall;
  out[o + C.t_allreduce_s] = tAllreduce;
  out[o + C.t_hostlink_s] = tHostlink;
  out[o + C.t_ps_s] = tPs;
  out[o + C.t_storage_s] = tStorage;
  out[o + C.t_data_s] = tData;
  out[o + C.t_overhead_s] = tOverhead;
  // eq. T1: the bottleneck is the largest term of the breakdown (the first of equals)
  let bottleneck = 0,
    worst = -1;
  for (let k = 0; k < TERMS; k++) {
    const v = out[o + FIRST_TERM_COLUMN + k]!;
    if (v > worst) {
      worst = v;
      bottleneck = k;
    }
  }
  if (!(tIter < Infinity && tIter > 0)) return fail(out, o, timeFault(out, o));

  // ---- power (section P): eq. P1 idle + (peak - idle) x utilisation per component, eq. P2 chassis overhead,
  // eq. P3 DRAM (node.dramW), eq. P4 switch ports, then PUE.
  const uAcc = Math.min(1, (tCompute + tEmbedding) / tIter);
  const commNic = FORWARD_AND_BACKWARD * a2a.nicTime + ar.nicTime; // N6: only the NIC level's time
  const nicBusy = commNic + (placement === P_PS ? e.ps : 0) + (env.readers ? tDataIngest : 0);
  const uNic = Math.min(1, nicBusy / tIter);
  const uSsd = Math.min(1, tStorage / tIter);
  const uCpu = node.isCpuOnly ? uAcc : Math.min(1, (e.cpuBusy / sw + tStorage) / tIter);
  const accW = node.isCpuOnly ? 0 : G * (node.accIdleW + (node.accPeakW - node.accIdleW) * uAcc);
  const cpuW = node.cpuIdleW + (node.cpuPeakW - node.cpuIdleW) * uCpu;
  const nicW = node.nicIdleW + (node.nicActiveW - node.nicIdleW) * uNic;
  const ssdW = node.ssdIdleW + (node.ssdActiveW - node.ssdIdleW) * uSsd;
  const nodeW = (accW + cpuW + node.dramW + nicW + ssdW) * (1 + env.chassisOverheadFraction); // eq. P1, P2
  const ps = env.psNode;
  const S = placement === P_PS ? psNodes : 0;
  const psW =
    S > 0
      ? serverPower(
          ps,
          Math.min(1, e.psCpuBusy / sw / tIter),
          Math.min(1, e.psNicBusy / sw / tIter),
          env.chassisOverheadFraction,
        )
      : 0;
  // eq. D2: reader nodes sized to feed the trainers, limited by their NICs.
  const readerCapacity = (ps.nicBw * p.nic_eff) / w.inputBytesPerSample;
  const readers = env.readers ? Math.ceil(throughput / readerCapacity) : 0;
  const uReader = readers ? throughput / (readers * readerCapacity) : 0;
  const readerW = readers ? readers * serverPower(ps, uReader, uReader, env.chassisOverheadFraction) : 0;
  const totalNodes = N + S + readers;
  // eq. P4: a job of one node needs no network switch; otherwise every NIC of every node takes a switch port.
  const switchPorts = totalNodes > 1 ? N * node.nicCount + (S + readers) * ps.nicCount : 0;
  const itW = N * nodeW + S * psW + readerW + switchPorts * env.switchPortW;
  const powerW = itW * env.pue; // eq. P4: the IT sum x PUE
  if (!(powerW < Infinity && powerW >= 0)) return fail(out, o, R["model-fault-power"]!);

  // ---- cost (eq. K1; node prices and cloud rates of eq. K2 are in the node model)
  let costPerHour: number;
  let capitalPerHour = 0,
    energyPerHour = 0;
  if (env.cloudBasis) {
    const override = env.cloudUsdPerNodeHourOverride;
    const nodeRate = Number.isNaN(override) ? node.cloudUsdPerHour : override;
    const psRate = Number.isNaN(override) ? ps.cloudUsdPerHour : override;
    // The parameter-server node's rate enters only when the job has parameter servers or readers (0 x NaN = NaN).
    costPerHour = N * nodeRate + (S + readers > 0 ? (S + readers) * psRate : 0);
  } else {
    const psCapital = S + readers > 0 ? (S + readers) * ps.priceUsd : 0;
    const capital = N * node.priceUsd + psCapital + switchPorts * env.switchPortUsd;
    capitalPerHour = capital / (env.amortizationYears * HOURS_PER_YEAR);
    energyPerHour = wattsToKw(powerW) * env.electricityUsdPerKwh;
    costPerHour = capitalPerHour + energyPerHour;
  }
  if (detail) {
    const f = 1 + env.chassisOverheadFraction;
    Object.assign(detail, {
      localBatch: b,
      alltoallBytesPerDevice: e.alltoallBytes,
      allreduceBytes: gradBytes,
      alltoallS: a2aTime,
      allreduceS: arTime,
      cacheHitRate: e.cacheHit,
      acceleratorW: accW,
      cpuW,
      dramW: node.dramW,
      nicW,
      ssdW,
      chassisW: nodeW - nodeW / f,
      trainerNodeW: nodeW,
      psNodesW: S * psW,
      readerNodesW: readerW,
      switchW: switchPorts * env.switchPortW,
      itW,
      pue: env.pue,
      capitalUsdPerHour: capitalPerHour,
      energyUsdPerHour: energyPerHour,
      cloudUsdPerHour: env.cloudBasis ? costPerHour : 0,
      onDeviceBytes: onDevice,
      onHostBytesPerNode: onHostPerNode,
      mlpStateBytes: mlpBytes,
      activationBytes,
    });
  }
  if (!(costPerHour > 0) || !Number.isFinite(costPerHour)) {
    return fail(out, o, costFault(costPerHour, node, ps, S + readers, env)); // eq. K2
  }

  out[o + C.throughput_samples_per_s] = throughput;
  out[o + C.power_w] = powerW;
  out[o + C.cost_usd_per_hour] = costPerHour;
  out[o + C.samples_per_joule] = throughput / powerW;
  out[o + C.samples_per_usd] = (throughput * SECONDS_PER_HOUR) / costPerHour;
  out[o + C.t_iteration_s] = tIter;
  out[o + C.bottleneck] = bottleneck;
  out[o + C.node_power_w] = nodeW;
  out[o + C.total_nodes] = totalNodes;
  out[o + C.reader_nodes] = readers;
  // per-run figures (section K): hours, kWh and USD of training samples_to_train samples
  const hours = env.samplesToTrain / throughput / SECONDS_PER_HOUR;
  out[o + C.time_to_train_h] = hours;
  out[o + C.energy_per_run_kwh] = wattsToKw(powerW * hours);
  out[o + C.cost_per_run_usd] = costPerHour * hours;
  out[o + C.accelerator_utilization] = uAcc;
  out[o + C.memory_used_fraction] = node.isCpuOnly
    ? (mlpBytes + activationBytes + onHostPerNode) / node.dramBytes
    : (onDevice + mlpBytes + activationBytes) / node.memBytesPerDevice;
  out[o + C.infeasible] = 0;
  if (powerW > env.powerBudgetW) return fail(out, o, R["power-budget"]!);
  if (totalNodes > env.maxNodes) return fail(out, o, R["max-nodes"]!);
  if (throughput < env.minThroughput) return fail(out, o, R["min-throughput"]!);
  return 0;
}
