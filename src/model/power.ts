// Power of CPU servers (parameter servers, readers): docs/cost-model.md section P.
import type { NodeModel } from "./node.ts";

/** eq. P1 for a CPU server (parameter server or reader): sockets and NICs at their utilisation, DRAM, idle SSDs. */
export function serverPower(n: NodeModel, uCpu: number, uNic: number, chassisFraction: number): number {
  const components =
    n.cpuIdleW +
    (n.cpuPeakW - n.cpuIdleW) * uCpu +
    n.dramW +
    n.nicIdleW +
    (n.nicActiveW - n.nicIdleW) * uNic +
    n.ssdIdleW;
  return components * (1 + chassisFraction); // eq. P2
}
