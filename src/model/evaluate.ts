// Scores one design point: time line, power and cost (docs/cost-model.md sections T, P, K). Pure; creates no objects.
import { PLACEMENTS, type Placement } from "../schema/vocab.ts";
import { allReduceTime, allToAllTime, type CollectiveTime } from "./comm.ts";
import { computeTimes, type ComputeTimes } from "./compute.ts";
import { gatherEfficiency } from "./memory.ts";
import { HYBRID_HOT_BYTES, MEMORY_RESERVE_FRACTION, mlpStateBytes, type TierContext } from "./tiers.ts";
import type { NodeModel } from "./node.ts";
import type { ModelParams, SoftwareStack } from "./params.ts";
import type { Tco } from "../schema/catalog.ts";
import { C, NCOLS, R } from "./result.ts";
import { HOURS_PER_YEAR, SECONDS_PER_HOUR } from "./units.ts";
import type { WorkloadModel } from "./workload.ts";

export const PLACEMENT_INDEX = Object.fromEntries(PLACEMENTS.map((p, i) => [p, i])) as Record<Placement, number>;
const P_TABLE = PLACEMENT_INDEX["hbm-table-wise"], P_ROW = PLACEMENT_INDEX["hbm-row-wise"], P_COL = PLACEMENT_INDEX["hbm-column-wise"];
const P_REPL = PLACEMENT_INDEX["hbm-replicated"], P_HOST = PLACEMENT_INDEX["host-dram"], P_CACHE = PLACEMENT_INDEX["hbm-cache"];
const P_CPU = PLACEMENT_INDEX["host-cpu-lookup"], P_PS = PLACEMENT_INDEX["remote-ps"], P_SSD = PLACEMENT_INDEX["ssd-cached"];
const P_AUTO = PLACEMENT_INDEX.auto, P_HYBRID = PLACEMENT_INDEX["hbm-hybrid"];

export interface JobEnv {
  psNode: NodeModel;
  pue: number;
  electricityUsdPerKwh: number;
  amortizationYears: number;
  /** true: cloud hourly rates; false: amortised capital + energy */
  cloudBasis: boolean;
  cloudUsdPerNodeHourOverride: number;
  chassisOverheadFraction: number;
  switchPortW: number;
  switchPortUsd: number;
  powerBudgetW: number;
  maxNodes: number;
  minThroughput: number;
  samplesToTrain: number;
  /** disaggregated reader nodes (the psNode system) feed the trainers over their NICs (eq. D1, D2) */
  readers: boolean;
  softwareEfficiency: number;
  /** fixed time per iteration of the software stack (eq. T1) */
  overheadS: number;
  /** false when predicting measured jobs: they did run, so capacity only informs, never rejects */
  enforceCapacity: boolean;
  /** dense optimizer state bytes per MLP parameter (eq. E7) */
  denseStateBytesPerParam: number;
}

/**
 * A job environment with the TCO figures, capital cost, no constraints and capacity enforced; callers override what
 * their context decides (a sweep's cost settings and constraints, a measured job's lack of them).
 */
export function jobEnv(tco: Tco, psNode: NodeModel, stack: SoftwareStack, overrides: Partial<JobEnv> = {}): JobEnv {
  return {
    psNode,
    pue: tco.pue,
    electricityUsdPerKwh: tco.electricity_usd_per_kwh,
    amortizationYears: tco.amortization_years,
    cloudBasis: false,
    cloudUsdPerNodeHourOverride: NaN,
    chassisOverheadFraction: tco.chassis_overhead_fraction,
    switchPortW: tco.switch_port_w,
    switchPortUsd: tco.switch_port_usd,
    powerBudgetW: Infinity,
    maxNodes: Infinity,
    minThroughput: 0,
    samplesToTrain: NaN,
    readers: false,
    softwareEfficiency: stack.efficiency,
    overheadS: stack.overhead_s,
    enforceCapacity: true,
    denseStateBytesPerParam: 0,
    ...overrides,
  };
}

const PRECISION_16 = [false, false, true, true, true]; // fp32, tf32, fp16, bf16, fp8

/** Everything behind one point's figures, filled only when asked for (recsweep explain); the sweep passes none. */
export interface PointDetail {
  localBatch: number;
  alltoallBytesPerDevice: number;
  allreduceBytes: number;
  alltoallS: number;
  allreduceS: number;
  cacheHitRate: number;
  acceleratorW: number; cpuW: number; dramW: number; nicW: number; ssdW: number; chassisW: number;
  trainerNodeW: number; psNodesW: number; readerNodesW: number; switchW: number; itW: number; pue: number;
  capitalUsdPerHour: number; energyUsdPerHour: number; cloudUsdPerHour: number;
  onDeviceBytes: number; onHostBytesPerNode: number; mlpStateBytes: number; activationBytes: number;
}

// Scratch results reused by every call: the hot loop creates no objects (V8 still boxes some intermediate numbers;
// garbage collection is about 4 % of the raw loop's time, measured with --cpu-prof).
const compScratch: ComputeTimes = { total: 0 };
const a2aScratch: CollectiveTime = { time: 0, nicTime: 0 };
const arScratch: CollectiveTime = { time: 0, nicTime: 0 };
const probeScratch: CollectiveTime = { time: 0, nicTime: 0 };

function fail(out: Float64Array, o: number, code: number): number {
  out[o + C.infeasible] = code;
  return code;
}

/**
 * Writes the scored point into out[o .. o+NCOLS). Returns the infeasibility code (0 = feasible).
 * placement: index into PLACEMENTS; precision: index into PRECISIONS; psNodes: parameter servers for remote-ps.
 */
export function evaluatePoint(
  out: Float64Array, o: number, node: NodeModel, w: WorkloadModel, tiers: TierContext, nodes: number,
  placement: number, batch: number, precision: number, psNodes: number, env: JobEnv, p: ModelParams,
  detail?: PointDetail,
): number {
  out.fill(0, o, o + NCOLS);
  if (node.missing.length) return fail(out, o, R["missing-catalog-figure"]!);
  const G = node.devices, N = nodes, P = G * N;
  if (node.isCpuOnly && (placement === P_TABLE || placement === P_ROW || placement === P_COL || placement === P_REPL || placement === P_CACHE || placement === P_CPU || placement === P_HYBRID)) {
    return fail(out, o, R["needs-accelerator"]!);
  }
  if (batch < P) return fail(out, o, R["batch-smaller-than-devices"]!);
  const peak = node.peakFlops[precision]!;
  if (!(peak > 0)) return fail(out, o, R["precision-unsupported"]!);
  if (placement === P_SSD && node.ssdCount === 0) return fail(out, o, R["no-ssd"]!);

  const b = batch / P; // local batch per device
  const bNode = batch / N;
  const sAct = PRECISION_16[precision] ? 2 : 4;
  const gemmEff = node.isCpuOnly ? p.cpu_gemm_eff_max : p.gpu_gemm_eff_max;
  const gemmHalf = (node.isCpuOnly ? p.cpu_gemm_half_gflop : p.gpu_gemm_half_gflop) * 1e9;
  const comp = computeTimes(w, b, peak, gemmEff, gemmHalf, sAct, p.activation_passes, node.isCpuOnly ? node.dramBw : node.memBwPerDevice, compScratch);

  // ---- capacity (eq. E7, E8)
  const mlpBytes = mlpStateBytes(w, env);
  let act = 0;
  for (let i = 0; i < w.layerOut.length; i++) act += w.layerOut[i]!;
  const activationBytes = 2 * b * (act * 4 + w.pooledElemsPerSample * sAct);
  const devMem = node.memBytesPerDevice * (1 - MEMORY_RESERVE_FRACTION);
  const hostCap = node.dramBytes * (1 - MEMORY_RESERVE_FRACTION);
  let onDevice = 0; // table bytes held in device memory
  let onHostPerNode = 0;
  const E = w.embTrafficPerSample;
  const fabricA2a = node.fabricA2aBw * p.fabric_eff, fabricAr = node.fabricArBw * p.fabric_eff;
  const nicBw = node.nicBw * p.nic_eff;
  const lat = p.collective_latency_s, latNic = node.nicLatencyS;

  // ---- embedding terms per placement (section E)
  let tEmb = 0, tHost = 0, tPs = 0, tStorage = 0, a2aBytes = 0, extraAllReduce = 0, cpuBusy = 0, psNicBusy = 0, psCpuBusy = 0;
  let a2aAcrossNodesOnly = false;
  const hbmGatherBw = node.memBwPerDevice * gatherEfficiency(w.meanRowBytes, p.hbm_gather_eff_max, p.gather_half_row_bytes);
  const hostGather = node.hostLinkBw * gatherEfficiency(w.meanRowBytes, p.host_link_eff, p.host_gather_half_row_bytes);
  const cpuGather = node.dramBw * gatherEfficiency(w.meanRowBytes, p.cpu_gather_eff, p.gather_half_row_bytes);
  const tableWiseBytes = Math.max((batch * E) / P, batch * w.maxTableTrafficPerSample); // eq. E2
  const pooledPerDevice = b * w.pooledElemsPerSample * sAct; // eq. N1 payload
  const a2aTableWise = pooledPerDevice * (P - 1) / P;

  if (node.isCpuOnly) {
    // CPU trainers (eq. E5): tables in local DRAM (and SSD behind it), sharded across nodes; the sockets gather.
    if (placement === P_HOST || placement === P_AUTO || placement === P_SSD) {
      let inDram = 1;
      if (placement === P_HOST) onHostPerNode = w.embBytes / N;
      else if (placement === P_SSD) inDram = tiers.dramCacheHit;
      else {
        if (!Number.isFinite(tiers.auto.ssd)) return fail(out, o, R["host-dram-capacity"]!);
        onHostPerNode = tiers.auto.hostBytes / N;
        inDram = 1 - tiers.auto.ssd;
      }
      tEmb = Math.max((batch * E * inDram) / N, batch * w.maxTableTrafficPerSample * inDram) / cpuGather;
      if (inDram < 1) tStorage = ssdTime((batch * w.lookupsPerSample * (1 - inDram)) / N, node);
      a2aBytes = N > 1 ? (bNode * w.pooledElemsPerSample * sAct * (N - 1)) / N : 0;
      a2aAcrossNodesOnly = true;
    }
  } else if (placement === P_TABLE) {
    onDevice = Math.max(w.embBytes / P, w.maxTableBytes);
    tEmb = tableWiseBytes / hbmGatherBw;
    a2aBytes = a2aTableWise;
  } else if (placement === P_ROW) {
    onDevice = w.embBytes / P;
    tEmb = (batch * E) / P / hbmGatherBw;
    a2aBytes = batch * w.pooledElemsPerSample * sAct * (P - 1) / P; // reduce-scatter of partial sums, eq. E2b
  } else if (placement === P_COL) {
    onDevice = w.embBytes / P;
    const shardRow = Math.max(4, w.meanRowBytes / Math.min(P, Math.max(1, w.meanRowBytes / 4)));
    tEmb = (batch * E) / P / (node.memBwPerDevice * gatherEfficiency(shardRow, p.hbm_gather_eff_max, p.gather_half_row_bytes));
    a2aBytes = a2aTableWise;
  } else if (placement === P_REPL) {
    onDevice = w.embBytes;
    tEmb = (b * E) / hbmGatherBw;
    extraAllReduce = w.embWeightBytes * (sAct / 4); // dense gradient all-reduce of whole tables, eq. E2c
  } else if (placement === P_HYBRID) {
    // eq. E11: the hottest rows are replicated on every device (local lookups, dense gradient all-reduce);
    // the rest are sharded table-wise and only their lookups cross the all-to-all. A planner picks the hot-set
    // size: here the candidate with the least embedding + exchange time.
    let bestT = Infinity;
    for (let k = 0; k < HYBRID_HOT_BYTES.length; k++) {
      const hot = Math.min(HYBRID_HOT_BYTES[k]!, w.embBytes), h = tiers.hybridHit[k]!;
      if (hot > tiers.hbmFree / 2) break;
      const emb = ((b * E * h) + tableWiseBytes * (1 - h)) / hbmGatherBw;
      const a2aT = 2 * allToAllTime(a2aTableWise * (1 - h), G, N, fabricA2a, nicBw, lat, latNic, probeScratch).time;
      const arT = allReduceTime(hot * (sAct / 4), G, N, fabricAr, nicBw, lat, latNic, probeScratch).time;
      if (emb + a2aT + arT < bestT) { bestT = emb + a2aT + arT; tEmb = emb; a2aBytes = a2aTableWise * (1 - h); extraAllReduce = hot * (sAct / 4); onDevice = w.embBytes / P + hot; }
    }
    if (!Number.isFinite(bestT)) { onDevice = Math.max(w.embBytes / P, w.maxTableBytes); tEmb = tableWiseBytes / hbmGatherBw; a2aBytes = a2aTableWise; }
  } else if (placement === P_HOST || placement === P_CACHE) {
    // eq. E3: tables sharded table-wise in host DRAM, read by their GPU over its host link (UVM).
    onHostPerNode = w.embBytes / N;
    const hit = placement === P_CACHE ? tiers.cacheHit : 0;
    tEmb = (tableWiseBytes * hit) / hbmGatherBw;
    const missBytes = tableWiseBytes * (1 - hit);
    tHost = Math.max(missBytes / hostGather, (G * missBytes) / (node.dramBw * p.cpu_gather_eff));
    a2aBytes = a2aTableWise;
  } else if (placement === P_CPU || placement === P_SSD) {
    // eq. E5: host CPUs gather from DRAM (and SSD behind a DRAM cache); pooled vectors cross the host link.
    const hit = placement === P_SSD ? tiers.dramCacheHit : 1;
    if (placement === P_CPU) onHostPerNode = w.embBytes / N;
    const cpuT = Math.max((batch * E * hit) / N, batch * w.maxTableTrafficPerSample * hit) / cpuGather;
    if (hit < 1) tStorage = ssdTime(batch * w.lookupsPerSample * (1 - hit) / N, node);
    tHost = cpuT + (2 * pooledPerDevice) / (node.hostLinkBw * p.host_link_eff);
    cpuBusy = cpuT;
    a2aBytes = N > 1 ? bNode * w.pooledElemsPerSample * sAct * (N - 1) / N : 0;
    a2aAcrossNodesOnly = true;
  } else if (placement === P_AUTO) {
    const s = tiers.auto;
    if (!Number.isFinite(s.ssd)) return fail(out, o, R["host-dram-capacity"]!);
    onDevice = s.hbmBytes / P;
    onHostPerNode = s.hostBytes / N;
    tEmb = (tableWiseBytes * s.hbm) / hbmGatherBw;
    const hostBytes = tableWiseBytes * s.host;
    tHost = Math.max(hostBytes / hostGather, (G * hostBytes) / (node.dramBw * p.cpu_gather_eff));
    if (s.ssd > 0) tStorage = ssdTime(batch * w.lookupsPerSample * s.ssd / N, node);
    a2aBytes = a2aTableWise;
  }
  if (placement === P_PS) {
    // eq. E9: sparse and dense parameter servers on separate nodes, reached over the NICs.
    const ps = env.psNode;
    const S = psNodes;
    if (env.enforceCapacity && w.embBytes / S > ps.dramBytes * (1 - MEMORY_RESERVE_FRACTION)) return fail(out, o, R["ps-dram-capacity"]!);
    const sparseBytesPerSample = w.lookupsPerSample * 8 + 2 * w.pooledElemsPerSample * sAct;
    const denseSync = 2 * w.mlpParams * 4;
    const trainerNic = (bNode * sparseBytesPerSample + denseSync) / nicBw;
    const psNic = (batch * sparseBytesPerSample + N * denseSync) / (S * ps.nicBw * p.nic_eff);
    const psCpu = (batch * E) / (S * ps.dramBw * gatherEfficiency(w.meanRowBytes, p.cpu_gather_eff, p.gather_half_row_bytes));
    tPs = Math.max(trainerNic, psNic, psCpu) + 2 * latNic;
    psNicBusy = psNic; psCpuBusy = psCpu;
  }
  // capacity checks (eq. E8)
  if (env.enforceCapacity) {
    if (!node.isCpuOnly && onDevice + mlpBytes + activationBytes > devMem) return fail(out, o, R["hbm-capacity"]!);
    if (node.isCpuOnly && mlpBytes + activationBytes + onHostPerNode > hostCap) return fail(out, o, R["host-dram-capacity"]!);
    if (!node.isCpuOnly && onHostPerNode > hostCap) return fail(out, o, R["host-dram-capacity"]!);
  }

  // ---- communication (section N)
  const a2a = a2aAcrossNodesOnly
    ? allToAllTime(a2aBytes, 1, N, 1, nicBw, lat, latNic, a2aScratch)
    : allToAllTime(a2aBytes, G, N, fabricA2a, nicBw, lat, latNic, a2aScratch);
  const tA2a = 2 * a2a.time; // forward and backward
  const gradBytes = placement === P_PS ? 0 : w.mlpParams * sAct + extraAllReduce;
  const ar = allReduceTime(gradBytes, G, N, fabricAr, nicBw, lat, latNic, arScratch);

  // ---- data ingestion (eq. D1), overlapped with everything: with readers, every trainer node receives its
  // samples over its NICs; reading locally, from its SSDs (or page cache when it has none).
  const ingestBw = env.readers ? nicBw : node.ssdBw > 0 ? node.ssdBw : node.dramBw;
  const tDataIngest = (bNode * w.inputBytesPerSample) / ingestBw;

  // ---- time line (eq. T1)
  const sw = env.softwareEfficiency;
  // eq. T1: pipelined trainers overlap the all-to-all of the next batch and the gradient all-reduce with dense
  // compute. Both share one window: the exposed part is what the overlappable compute cannot hide, split
  // between the two in proportion for the breakdown.
  const comm = tA2a + ar.time;
  const exposed = Math.max(0, comm - p.overlap * comp.total);
  const exposedA2a = comm > 0 ? (exposed * tA2a) / comm : 0;
  const exposedAr = comm > 0 ? (exposed * ar.time) / comm : 0;
  const terms0 = comp.total / sw, terms1 = tEmb / sw, terms2 = exposedA2a / sw, terms3 = exposedAr / sw;
  const terms4 = tHost / sw, terms5 = tPs / sw, terms6 = tStorage / sw;
  const tOverhead = env.overheadS;
  const tWork = terms0 + terms1 + terms2 + terms3 + terms4 + terms5 + terms6 + tOverhead;
  const tData = Math.max(0, tDataIngest - tWork);
  const tIter = tWork + tData;
  const throughput = batch / tIter;
  out[o + C.t_compute_s] = terms0; out[o + C.t_embedding_s] = terms1; out[o + C.t_alltoall_s] = terms2;
  out[o + C.t_allreduce_s] = terms3; out[o + C.t_hostlink_s] = terms4; out[o + C.t_ps_s] = terms5;
  out[o + C.t_storage_s] = terms6; out[o + C.t_data_s] = tData; out[o + C.t_overhead_s] = tOverhead;
  let bottleneck = 0, worst = -1;
  for (let k = 0; k < 9; k++) {
    const v = out[o + C.t_compute_s + k]!;
    if (v > worst) { worst = v; bottleneck = k; }
  }
  if (tDataIngest > tWork) bottleneck = 7;
  if (!(tIter < Infinity && tIter > 0)) return fail(out, o, timeFault(out, o));

  // ---- power (section P): idle + (peak - idle) x utilisation per component, chassis overhead, then PUE.
  const uAcc = Math.min(1, (terms0 + terms1) / tIter);
  const uNic = Math.min(1, (2 * a2a.nicTime + ar.nicTime + (placement === P_PS ? tPs : 0) + (env.readers ? tDataIngest : 0)) / tIter);
  const uSsd = Math.min(1, terms6 / tIter);
  const uCpu = node.isCpuOnly ? uAcc : Math.min(1, (cpuBusy / sw + terms6) / tIter);
  const accW = node.isCpuOnly ? 0 : G * (node.accIdleW + (node.accPeakW - node.accIdleW) * uAcc);
  const cpuW = node.cpuIdleW + (node.cpuPeakW - node.cpuIdleW) * uCpu;
  const nicW = node.nicIdleW + (node.nicActiveW - node.nicIdleW) * uNic;
  const ssdW = node.ssdIdleW + (node.ssdActiveW - node.ssdIdleW) * uSsd;
  const nodeW = (accW + cpuW + node.dramW + nicW + ssdW) * (1 + env.chassisOverheadFraction);
  const ps = env.psNode;
  const S = placement === P_PS ? psNodes : 0;
  const psW = S > 0 ? serverPower(ps, Math.min(1, psCpuBusy / sw / tIter), Math.min(1, psNicBusy / sw / tIter), env.chassisOverheadFraction) : 0;
  // eq. D2: reader nodes sized to feed the trainers, limited by their NICs.
  const readerCapacity = (ps.nicBw * p.nic_eff) / w.inputBytesPerSample;
  const readers = env.readers ? Math.ceil(throughput / readerCapacity) : 0;
  const uReader = readers ? throughput / (readers * readerCapacity) : 0;
  const readerW = readers * serverPower(ps, uReader, uReader, env.chassisOverheadFraction);
  const totalNodes = N + S + readers;
  // eq. P4: a job of one node needs no network switch; otherwise every NIC of every node takes a switch port.
  const switchPorts = totalNodes > 1 ? N * node.nicCount + (S + readers) * ps.nicCount : 0;
  const itW = N * nodeW + S * psW + readerW + switchPorts * env.switchPortW;
  const powerW = itW * env.pue;
  if (!(powerW < Infinity && powerW >= 0)) return fail(out, o, R["model-fault-power"]!);

  // ---- cost (section K)
  let costPerHour: number;
  let capitalPerHour = 0, energyPerHour = 0;
  if (env.cloudBasis) {
    const nodeRate = Number.isNaN(env.cloudUsdPerNodeHourOverride) ? node.cloudUsdPerHour : env.cloudUsdPerNodeHourOverride;
    const psRate = Number.isNaN(env.cloudUsdPerNodeHourOverride) ? ps.cloudUsdPerHour : env.cloudUsdPerNodeHourOverride;
    costPerHour = N * nodeRate + (S + readers) * psRate;
  } else {
    const capital = N * node.priceUsd + (S + readers) * ps.priceUsd + switchPorts * env.switchPortUsd;
    capitalPerHour = capital / (env.amortizationYears * HOURS_PER_YEAR);
    energyPerHour = (powerW / 1000) * env.electricityUsdPerKwh;
    costPerHour = capitalPerHour + energyPerHour;
  }
  if (detail) {
    const f = 1 + env.chassisOverheadFraction;
    Object.assign(detail, {
      localBatch: b, alltoallBytesPerDevice: a2aBytes, allreduceBytes: gradBytes, alltoallS: tA2a, allreduceS: ar.time,
      cacheHitRate: placement === P_CACHE ? tiers.cacheHit : placement === P_SSD ? tiers.dramCacheHit : NaN,
      acceleratorW: accW, cpuW, dramW: node.dramW, nicW, ssdW, chassisW: nodeW - nodeW / f,
      trainerNodeW: nodeW, psNodesW: S * psW, readerNodesW: readerW, switchW: switchPorts * env.switchPortW, itW, pue: env.pue,
      capitalUsdPerHour: capitalPerHour, energyUsdPerHour: energyPerHour, cloudUsdPerHour: env.cloudBasis ? costPerHour : 0,
      onDeviceBytes: onDevice, onHostBytesPerNode: onHostPerNode, mlpStateBytes: mlpBytes, activationBytes,
    });
  }
  if (!(costPerHour > 0) || !Number.isFinite(costPerHour)) return fail(out, o, costFault(costPerHour, node, ps, S + readers, env));

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
  const hours = env.samplesToTrain / throughput / SECONDS_PER_HOUR;
  out[o + C.time_to_train_h] = hours;
  out[o + C.energy_per_run_kwh] = (powerW * hours) / 1000;
  out[o + C.cost_per_run_usd] = costPerHour * hours;
  out[o + C.accelerator_utilization] = uAcc;
  out[o + C.memory_used_fraction] = node.isCpuOnly
    ? (mlpBytes + activationBytes + onHostPerNode) / node.dramBytes
    : (onDevice + mlpBytes + activationBytes) / node.memBytesPerDevice;

  if (powerW > env.powerBudgetW) return fail(out, o, R["power-budget"]!);
  if (totalNodes > env.maxNodes) return fail(out, o, R["max-nodes"]!);
  if (throughput < env.minThroughput) return fail(out, o, R["min-throughput"]!);
  return 0;
}

/** Which time term came out NaN or infinite (the first), as an infeasibility code; the terms are in `out`. */
function timeFault(out: Float64Array, o: number): number {
  const names = ["compute", "embedding", "alltoall", "allreduce", "hostlink", "ps", "storage", "data", "overhead"];
  for (let k = 0; k < 9; k++) if (!Number.isFinite(out[o + C.t_compute_s + k]!)) return R[`model-fault-${names[k]}`]!;
  return R["model-fault-throughput"]!;
}

/** A cost that is not a positive number: no price (a missing or zero price), or a model fault (a price is there). */
function costFault(cost: number, node: NodeModel, ps: NodeModel, servers: number, env: JobEnv): number {
  if (Number.isFinite(cost)) return R["no-price"]!; // zero or negative: no usable price
  const override = !Number.isNaN(env.cloudUsdPerNodeHourOverride);
  const missing = env.cloudBasis
    ? !override && (Number.isNaN(node.cloudUsdPerHour) || (servers > 0 && Number.isNaN(ps.cloudUsdPerHour)))
    : Number.isNaN(node.priceUsd) || (servers > 0 && Number.isNaN(ps.priceUsd));
  return missing ? R["no-price"]! : R["model-fault-cost"]!;
}

/** eq. P1 for a CPU server (parameter server or reader): sockets and NICs at their utilisation, DRAM, idle SSDs. */
function serverPower(n: NodeModel, uCpu: number, uNic: number, chassisFraction: number): number {
  return (n.cpuIdleW + (n.cpuPeakW - n.cpuIdleW) * uCpu + n.dramW + n.nicIdleW + (n.nicActiveW - n.nicIdleW) * uNic + n.ssdIdleW) * (1 + chassisFraction);
}

/** eq. E10: SSD time for `misses` row reads per node: each reads and later writes back one page; IOPS- or bandwidth-bound. */
function ssdTime(misses: number, node: NodeModel): number {
  if (misses <= 0) return 0;
  return Math.max((2 * misses) / node.ssdIops, (2 * misses * node.ssdPageBytes) / node.ssdBw);
}
