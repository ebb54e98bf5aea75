// Whether a composed node can be built (docs/hardware-axes.md): PCIe lanes for its uplinks, NICs and SSDs, a fabric
// that connects its accelerator and count, memory within its CPUs' maximum, peak power within max_power_w. A node
// that cannot be built refuses every point with the reason's code (model/result.ts), counted in infeasible.csv.
import type { NodeModel, NodeParts } from "../model/node.ts";
import { R } from "../model/result.ts";

/** PCIe lanes a NIC takes: x16 at 200 Gb/s and more, x8 below (ConnectX-6/7 HDR/NDR cards are x16, EDR x8/x16). */
export const nicLanes = (gbitPerS: number) => (gbitPerS >= 200 ? 16 : 8);
/** Lanes of one host-link uplink (x16) and of one NVMe SSD (x4). */
export const UPLINK_LANES = 16;
export const SSD_LANES = 4;

/** CPU PCIe lanes a node needs: an x16 uplink per host link, one NIC and SSD per uplink's switch, the rest direct. */
export function pcieLanesNeeded(parts: NodeParts): number {
  const g = parts.accelerator ? parts.accelerators_per_node : 0;
  const uplinks = g > 0 ? Math.ceil(g / parts.gpus_per_host_link) : 0;
  const nics = parts.nics_per_node,
    ssds = parts.ssds_per_node;
  return (
    UPLINK_LANES * uplinks +
    nicLanes(parts.nic.line_rate_gbit_per_s) * Math.max(0, nics - uplinks) +
    SSD_LANES * Math.max(0, ssds - uplinks)
  );
}

/** Peak node power, W: every part at its peak figure, DRAM and the chassis overhead (eq. P1-P3 at utilisation 1). */
export function peakNodePowerW(node: NodeModel, chassisOverheadFraction: number): number {
  const acc = node.isCpuOnly ? 0 : node.devices * node.accPeakW;
  return (acc + node.cpuPeakW + node.dramW + node.nicActiveW + node.ssdActiveW) * (1 + chassisOverheadFraction);
}

/**
 * The reason code (model/result.ts R) that refuses a composed node, or 0. `origin` maps a derived part's id to the
 * catalog part it derives from (a what-if H100 fits where an H100 fits), or to null for a part of the user's own
 * catalog that the built-in one does not know: a fabric's list of the accelerators it connects describes real
 * boards and cannot speak for a part nobody has built, so only its device limit applies to that part (check and run
 * say so). Figures the catalog lacks skip their check.
 */
export function buildProblem(
  parts: NodeParts,
  node: NodeModel,
  maxPowerW: number | undefined,
  chassisOverheadFraction: number,
  origin: (id: string) => string | null,
): number {
  const g = parts.accelerator ? parts.accelerators_per_node : 0;
  const fabric = parts.fabric;
  const base = parts.accelerator ? origin(parts.accelerator.id) : null;
  if (g > 0 && base !== null && fabric.accelerators && !fabric.accelerators.includes(base))
    return R["fabric-unsupported"]!;
  if (g > (fabric.max_devices ?? Infinity)) return R["fabric-unsupported"]!;
  const cpu = parts.cpu;
  if (
    cpu.max_memory_gb_per_socket !== undefined &&
    parts.host_memory_gb > cpu.max_memory_gb_per_socket * parts.cpu_sockets
  )
    return R["memory-over-cpu-max"]!;
  if (cpu.pcie_lanes !== undefined && pcieLanesNeeded(parts) > cpu.pcie_lanes * parts.cpu_sockets)
    return R["pcie-lanes"]!;
  if (maxPowerW !== undefined && peakNodePowerW(node, chassisOverheadFraction) > maxPowerW)
    return R["node-power-over-max"]!;
  return 0;
}
