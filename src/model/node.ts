// A node reduced to the numbers the model needs, in SI units. Built once per system, never per point.
import type { Accelerator, Cpu, Link, Nic, Storage, Tco } from "../schema/catalog.ts";
import { PRECISIONS, type Precision } from "../schema/vocab.ts";
import { gbPerSToBytesPerS, gbToBytes, gbitPerSToBytesPerS, ghzToHz, tflopsToFlops, usToS } from "./units.ts";
import { VENDORS, vendorOf } from "./software.ts";

export interface NodeParts {
  id: string;
  accelerator?: Accelerator;
  accelerators_per_node: number;
  fabric: Link;
  host_link?: Link;
  gpus_per_host_link: number;
  cpu: Cpu;
  cpu_sockets: number;
  host_memory_gb: number;
  nic: Nic;
  nics_per_node: number;
  ssd?: Storage;
  ssds_per_node: number;
  price_usd?: number;
  cloud_usd_per_node_hour?: number;
}

export interface NodeModel {
  id: string;
  isCpuOnly: boolean;
  /** accelerators per node; a CPU-only node counts as one device made of all its sockets */
  devices: number;
  memBytesPerDevice: number;
  memBwPerDevice: number;
  /** peak FLOP/s per device for each precision in PRECISIONS order; NaN where unsupported */
  peakFlops: number[];
  /** accelerator fabric bytes/s per device per direction for all-to-all and for all-reduce (eq. N1, N2) */
  fabricA2aBw: number;
  fabricArBw: number;
  /** eq. N6: nodes one fabric domain joins (a rack-scale NVLink domain of domain_devices accelerators); 1: none */
  domainNodes: number;
  hostLinkBw: number;
  dramBytes: number;
  dramBw: number;
  cpuPeakFlops: number[];
  nicBw: number;
  nicCount: number;
  nicLatencyS: number;
  ssdIops: number;
  ssdBw: number;
  ssdPageBytes: number;
  ssdCount: number;
  accIdleW: number;
  accPeakW: number;
  cpuIdleW: number;
  cpuPeakW: number;
  dramW: number;
  nicIdleW: number;
  nicActiveW: number;
  ssdIdleW: number;
  ssdActiveW: number;
  priceUsd: number;
  cloudUsdPerHour: number;
  /** catalog figures this node lacks that the model needs, e.g. "a30-pcie-24gb.memory_bandwidth_gb_per_s" */
  missing: string[];
  /** index into VENDORS of software.ts: which stacks run on the node (eq. S3) */
  vendor: number;
  /** eq. N4: share of the peers a device reaches over its own NVLinks (1 off meshes; 0 on PCIe fabrics) */
  directPeerShare: number;
  /** eq. N4: a device's rate for peer traffic staged through host memory: its host-link share, down then up */
  stagedBw: number;
}

/**
 * eq. N5: the per-direction rate (GB/s) of an x16 PCIe link into a host CPU of generation `pcie_gen`. A link trains
 * at the highest generation both ends support, so a Gen4 card in a Gen3 host runs at Gen3's rate (MLPerf v1.0's Dell
 * DSS8440 declares "PCIe 3.0x16" for its A100 PCIe cards). 16 GB/s at Gen3 (the catalog's pcie3-x16 figure), doubling
 * with each generation (8, 16, 32 GT/s per lane at the same 128b/130b encoding; PCI-SIG). +Infinity when the CPU's
 * generation is not in the catalog (no cap).
 */
export function hostPcieX16GbPerS(cpu: Cpu): number {
  return cpu.pcie_gen === undefined ? Number.POSITIVE_INFINITY : 16 * 2 ** (cpu.pcie_gen - 3);
}

/** DRAM power: the ENERGY STAR idle memory adder, 0.125 W per GB, used as a constant draw (docs/cost-model.md P3). */
export const DRAM_W_PER_GB = 0.125;

export function buildNodeModel(parts: NodeParts, tco: Tco): NodeModel {
  const missing: string[] = [];
  const need = (v: number | undefined, what: string): number => {
    if (v === undefined) {
      missing.push(what);
      return NaN;
    }
    return v;
  };
  const acc = parts.accelerator;
  const isCpuOnly = !acc || parts.accelerators_per_node === 0;
  const cpu = parts.cpu;
  const sockets = parts.cpu_sockets;
  const clockHz = ghzToHz(cpu.all_core_turbo_ghz ?? cpu.base_ghz);
  const cpuFp32 =
    sockets * cpu.cores * clockHz * need(cpu.fp32_flop_per_cycle_per_core, `${cpu.id}.fp32_flop_per_cycle_per_core`);
  const cpuBf16 = cpu.bf16_flop_per_cycle_per_core
    ? sockets * cpu.cores * clockHz * cpu.bf16_flop_per_cycle_per_core
    : NaN;
  // CPUs: fp32 at the vector rate, bf16 where the part has it; no tf32/fp16/fp8 math.
  const cpuPeakFlops = PRECISIONS.map((p: Precision) => (p === "fp32" ? cpuFp32 : p === "bf16" ? cpuBf16 : NaN));
  const dramBw =
    sockets *
    gbPerSToBytesPerS(need(cpu.memory_bandwidth_gb_per_s_per_socket, `${cpu.id}.memory_bandwidth_gb_per_s_per_socket`));
  const dramBytes = gbToBytes(parts.host_memory_gb);
  const cpuTdp = need(cpu.tdp_w, `${cpu.id}.tdp_w`);
  const cpuIdle = cpu.idle_w ?? need(undefined, `${cpu.id}.idle_w`);

  let devices = 1,
    memBytesPerDevice = dramBytes,
    memBwPerDevice = dramBw,
    peakFlops = cpuPeakFlops;
  let accIdleW = 0,
    accPeakW = 0,
    fabricA2aBw = 0,
    fabricArBw = 0,
    hostLinkBw = 0;
  if (!isCpuOnly && acc) {
    devices = parts.accelerators_per_node;
    memBytesPerDevice = gbToBytes(acc.memory_capacity_gb);
    memBwPerDevice = gbPerSToBytesPerS(need(acc.memory_bandwidth_gb_per_s, `${acc.id}.memory_bandwidth_gb_per_s`));
    const rate: Record<Precision, number | undefined> = {
      fp32: acc.peak_tflops_fp32,
      tf32: acc.peak_tflops_tf32,
      fp16: acc.peak_tflops_fp16_bf16,
      bf16: acc.peak_tflops_fp16_bf16,
      fp8: acc.peak_tflops_fp8,
    };
    peakFlops = PRECISIONS.map((p) => (rate[p] === undefined ? NaN : tflopsToFlops(rate[p]!)));
    accPeakW = need(acc.tdp_w, `${acc.id}.tdp_w`);
    accIdleW = acc.idle_w ?? need(undefined, `${acc.id}.idle_w`);
    const hl = parts.host_link ? parts.host_link.gb_per_s_per_direction : acc.host_link_gb_per_s_per_direction;
    // eq. N5: PCIe runs at the slower end's generation (card, host CPU, and the fabric's own switches)
    const pcieCap = Math.min(hostPcieX16GbPerS(cpu), acc.host_link_gb_per_s_per_direction ?? Number.POSITIVE_INFINITY);
    const isPcie = parts.fabric.kind === "pcie";
    // a device's own GPU-to-GPU ports cap what a switch or mesh gives it (A800, H800: 400 GB/s on an NVSwitch board
    // built for 600 or 900); a PCIe fabric is capped by the PCIe generations instead (N5)
    const portCap = (acc.scale_up_link_gb_per_s_bidirectional ?? Number.POSITIVE_INFINITY) / 2;
    const link = gbPerSToBytesPerS(
      isPcie
        ? Math.min(parts.fabric.gb_per_s_per_direction, pcieCap)
        : Math.min(parts.fabric.gb_per_s_per_direction, portCap),
    );
    const share = isPcie ? parts.gpus_per_host_link : 1;
    // eq. N3: in a mesh a share (1 - f) of all-to-all traffic takes two hops, so it costs twice.
    const meshFactor = parts.fabric.kind === "nvlink-mesh" ? 1 / (2 - (parts.fabric.direct_peer_fraction ?? 1)) : 1;
    fabricA2aBw = (link / share) * meshFactor;
    fabricArBw = link / share;
    const hostLinkGb = hl === undefined ? hl : Math.min(hl, pcieCap);
    hostLinkBw =
      gbPerSToBytesPerS(need(hostLinkGb, `${acc.id}.host_link_gb_per_s_per_direction`)) / parts.gpus_per_host_link;
  }
  const ssd = parts.ssd;
  const ssdCount = ssd ? parts.ssds_per_node : 0;
  let priceUsd = parts.price_usd ?? NaN;
  if (parts.price_usd === undefined) {
    // eq. K2: node price derived from its parts with the Epoch server-cost ratio.
    if (!isCpuOnly && acc)
      priceUsd =
        acc.price_usd !== undefined ? devices * acc.price_usd * tco.server_cost_to_accelerator_cost_ratio : NaN;
    else
      priceUsd =
        cpu.price_usd !== undefined
          ? (sockets * cpu.price_usd + parts.host_memory_gb * tco.dram_usd_per_gb) *
            tco.server_cost_to_accelerator_cost_ratio
          : NaN;
  }
  const cloudRate = acc ? tco.cloud_usd_per_accelerator_hour?.[acc.id] : undefined;
  const cloudUsdPerHour =
    parts.cloud_usd_per_node_hour ?? (!isCpuOnly && cloudRate !== undefined ? devices * cloudRate : NaN);
  return {
    id: parts.id,
    isCpuOnly,
    devices,
    memBytesPerDevice,
    memBwPerDevice,
    peakFlops,
    fabricA2aBw,
    domainNodes:
      !isCpuOnly && parts.fabric.domain_devices !== undefined
        ? Math.max(1, Math.floor(parts.fabric.domain_devices / devices))
        : 1,
    fabricArBw,
    hostLinkBw,
    dramBytes,
    dramBw,
    cpuPeakFlops,
    nicBw: parts.nics_per_node * gbitPerSToBytesPerS(parts.nic.line_rate_gbit_per_s),
    nicCount: parts.nics_per_node,
    nicLatencyS: usToS(parts.nic.latency_us ?? 1),
    ssdIops: ssd ? ssdCount * ssd.random_read_iops_4k : 0,
    ssdBw: ssd ? ssdCount * gbPerSToBytesPerS(ssd.sequential_read_gb_per_s) : 0,
    ssdPageBytes: ssd ? ssd.page_bytes : 4096,
    ssdCount,
    accIdleW,
    accPeakW,
    cpuIdleW: sockets * cpuIdle,
    cpuPeakW: sockets * cpuTdp,
    dramW: parts.host_memory_gb * DRAM_W_PER_GB,
    nicIdleW: parts.nics_per_node * parts.nic.idle_w,
    nicActiveW: parts.nics_per_node * parts.nic.active_w,
    ssdIdleW: ssd ? ssdCount * ssd.idle_w : 0,
    ssdActiveW: ssd ? ssdCount * ssd.active_w : 0,
    priceUsd,
    cloudUsdPerHour,
    missing,
    vendor: VENDORS.indexOf(isCpuOnly ? "cpu" : vendorOf(acc?.name)),
    directPeerShare:
      parts.fabric.kind === "pcie"
        ? 0
        : parts.fabric.kind === "nvlink-mesh"
          ? (parts.fabric.direct_peer_fraction ?? 1)
          : 1,
    stagedBw: hostLinkBw / 2,
  };
}
