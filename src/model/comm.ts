// Collective communication over the real topology. Equations: docs/cost-model.md section N.

/**
 * Fixed start-up latency of one collective call, seconds: NCCL's own tuning model charges 6.6-14 us per call by
 * protocol (ring Simple 8.4 us) before any per-hop latency (NVIDIA/nccl src/graph/tuning.cc, baseLat).
 */
export const COLLECTIVE_BASE_LATENCY_S = 8.4e-6;

export interface CollectiveTime {
  time: number;
  /** the part that crosses the NICs between nodes (for NIC utilisation) */
  nicTime: number;
}

/**
 * eq. N1: all-to-all in which each of P = G x N devices sends `bytesPerDevice` spread evenly over the other
 * devices. The share bound for devices of the same node, (G-1)/(P-1), rides the fabric at `fabricBw` per device;
 * the rest leaves through the node's NICs, shared by its G devices. Both proceed at once; one latency each.
 */
export function allToAllTime(
  bytesPerDevice: number,
  G: number,
  N: number,
  fabricBw: number,
  nicBwNode: number,
  latFabric: number,
  latNic: number,
  out: CollectiveTime = { time: 0, nicTime: 0 },
): CollectiveTime {
  const P = G * N;
  if (P <= 1 || bytesPerDevice <= 0) {
    out.time = 0;
    out.nicTime = 0;
    return out;
  }
  const intraShare = (G - 1) / (P - 1);
  const intra = G > 1 ? (bytesPerDevice * intraShare) / fabricBw + (G - 1) * latFabric : 0; // N1: one step per peer
  const nicTime = N > 1 ? (G * bytesPerDevice * (1 - intraShare)) / nicBwNode + latNic : 0;
  out.time = COLLECTIVE_BASE_LATENCY_S + Math.max(intra, nicTime);
  out.nicTime = nicTime;
  return out;
}

/**
 * The two levels eq. N1 and N2 run over: G devices per group on the fabric, N groups joined by a network of
 * `a2aNetBw` / `arNetBw` bytes/s per group and `netLat` seconds per step. Written by collectiveShape.
 */
export class CollectiveShape {
  G = 0;
  N = 0;
  a2aNetBw = NaN;
  arNetBw = NaN;
  netLat = NaN;
  /** false when the second level is the domain's fabric: its time is then no NIC's busy time (P1) */
  netIsNic = true;
}

/**
 * eq. N6: the levels of a job of `nodes` nodes of G devices. Ordinary nodes (`domainNodes` 1): the node's fabric,
 * then its NICs (`nicBw` per node, `latNic`). Nodes of one rack-scale fabric domain (GB200 NVL72: 18 trays of 4
 * GPUs, `domainNodes` 18), when the job fits the domain: the tray's fabric, then the domain's switches, which each
 * tray reaches through its G devices' own links (G x the fabric's rate, the fabric's latency `lat` per step), as
 * a hierarchical collective over NVLink would. A job beyond one domain: each domain is one group of G x k devices
 * on the fabric (k = domainNodes trays), the domains joined by their trays' NICs (k x nicBw).
 */
export function collectiveShape(
  out: CollectiveShape,
  G: number,
  nodes: number,
  domainNodes: number,
  fabricA2a: number,
  fabricAr: number,
  nicBw: number,
  lat: number,
  latNic: number,
): CollectiveShape {
  if (domainNodes > 1 && nodes <= domainNodes) {
    out.G = G;
    out.N = nodes;
    out.a2aNetBw = G * fabricA2a;
    out.arNetBw = G * fabricAr;
    out.netLat = lat;
    out.netIsNic = false;
  } else {
    const k = Math.max(domainNodes, 1);
    out.G = G * k;
    out.N = Math.ceil(nodes / k);
    out.a2aNetBw = nicBw * k;
    out.arNetBw = nicBw * k;
    out.netLat = latNic;
    out.netIsNic = true;
  }
  return out;
}

/**
 * eq. N2: hierarchical ring all-reduce of `bytes` over G devices in each of N nodes: reduce-scatter and
 * all-gather inside the node, 2 (G-1)/G x bytes per device over the fabric, and a ring across nodes of each
 * device's 1/G shard, 2 (N-1)/N x bytes per node over the NICs; 2 (G-1) and 2 (N-1) latency steps.
 */
export function allReduceTime(
  bytes: number,
  G: number,
  N: number,
  fabricBw: number,
  nicBwNode: number,
  latFabric: number,
  latNic: number,
  out: CollectiveTime = { time: 0, nicTime: 0 },
): CollectiveTime {
  if (bytes <= 0 || G * N <= 1) {
    out.time = 0;
    out.nicTime = 0;
    return out;
  }
  const intra = G > 1 ? (((2 * (G - 1)) / G) * bytes) / fabricBw + 2 * (G - 1) * latFabric : 0;
  const nicTime = N > 1 ? (((2 * (N - 1)) / N) * bytes) / nicBwNode + 2 * (N - 1) * latNic : 0;
  out.time = COLLECTIVE_BASE_LATENCY_S + intra + nicTime;
  out.nicTime = nicTime;
  return out;
}
