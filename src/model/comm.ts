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
 * the rest leaves through the node's NICs, shared by its G devices. Both proceed at once; one latency step per peer
 * in the node, one for all the peers behind the NICs.
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
  return exchangeTime(bytesPerDevice, G, 1, N, fabricBw, nicBwNode, latFabric, latNic, out);
}

/**
 * eq. N1 over eq. N6's levels: G devices per node, T nodes per fabric group, D groups. Inside a group every byte
 * leaves a device over its own fabric links, whether its peer is in the node or behind the domain's switches (they
 * are the same ports), so the group's share (G T - 1)/(P - 1) rides the fabric at `fabricBw`; the rest crosses the
 * group's NICs (`groupNicBw`). Latency: one step per peer in the node, one for all the peers behind the domain's
 * switches, one for all those behind the NICs (peers behind a switch are addressed at once, as N1 does for NICs).
 */
function exchangeTime(
  bytesPerDevice: number,
  G: number,
  T: number,
  D: number,
  fabricBw: number,
  groupNicBw: number,
  latFabric: number,
  latNic: number,
  out: CollectiveTime,
): CollectiveTime {
  const inGroup = G * T,
    P = inGroup * D;
  if (P <= 1 || bytesPerDevice <= 0) {
    out.time = 0;
    out.nicTime = 0;
    return out;
  }
  const groupShare = (inGroup - 1) / (P - 1);
  const steps = G - 1 + (T > 1 ? 1 : 0);
  const fabric = inGroup > 1 ? (bytesPerDevice * groupShare) / fabricBw + steps * latFabric : 0;
  const nicTime = D > 1 ? (inGroup * bytesPerDevice * (1 - groupShare)) / groupNicBw + latNic : 0;
  out.time = COLLECTIVE_BASE_LATENCY_S + Math.max(fabric, nicTime);
  out.nicTime = nicTime;
  return out;
}

/**
 * The levels eq. N1 and N2 run over (eq. N6), written by collectiveShape: G devices per node on the node's fabric;
 * T nodes per group, joined by a rack-scale fabric domain's switches (T = 1 for ordinary nodes); D groups joined by
 * their nodes' NICs (`groupNicBw` bytes/s per group). T x D is the job's node count.
 */
export class CollectiveShape {
  G = 0;
  T = 1;
  D = 0;
  /** bytes/s per node into the domain's switches: its G devices' own links (G x the fabric's all-reduce rate) */
  domainArBw = NaN;
  /** bytes/s of NICs per group: its T nodes' NICs */
  groupNicBw = NaN;
}

/**
 * eq. N6: the levels of a job of `nodes` nodes of G devices on a fabric whose domain joins `domainNodes` nodes (1:
 * ordinary nodes, whose fabric ends at the node; GB200 NVL72: 18 trays of 4 GPUs). The job takes D = ceil(nodes /
 * domainNodes) domains and spreads its nodes evenly over them, T = nodes / D each (a mean where they do not divide):
 * ordinary nodes get T = 1, D = nodes; a job inside one domain T = nodes, D = 1.
 */
export function collectiveShape(
  out: CollectiveShape,
  G: number,
  nodes: number,
  domainNodes: number,
  fabricAr: number,
  nicBw: number,
): CollectiveShape {
  const D = Math.ceil(nodes / Math.max(domainNodes, 1));
  out.G = G;
  out.D = D;
  out.T = D > 0 ? nodes / D : 1; // no nodes: no devices, so every collective is free
  out.domainArBw = G * fabricAr;
  out.groupNicBw = out.T * nicBw;
  return out;
}

/**
 * eq. N1 on the levels of eq. N6 (exchangeTime): the G x T devices of a group exchange over the fabric, the groups
 * through their NICs.
 */
export function allToAllOnShape(
  bytesPerDevice: number,
  s: CollectiveShape,
  fabricA2a: number,
  latFabric: number,
  latNic: number,
  out: CollectiveTime,
): CollectiveTime {
  return exchangeTime(bytesPerDevice, s.G, s.T, s.D, fabricA2a, s.groupNicBw, latFabric, latNic, out);
}

/**
 * eq. N2 on the levels of eq. N6: a hierarchical ring on each level in turn (the node's fabric, the domain's
 * switches, the NICs); only the last level's time keeps a NIC busy.
 */
export function allReduceOnShape(
  bytes: number,
  s: CollectiveShape,
  fabricAr: number,
  latFabric: number,
  latNic: number,
  out: CollectiveTime,
): CollectiveTime {
  allReduceTime(bytes, s.G, s.D, fabricAr, s.groupNicBw, latFabric, latNic, out);
  if (s.T > 1 && bytes > 0)
    out.time = Math.max(out.time, COLLECTIVE_BASE_LATENCY_S) + ringTime(bytes, s.T, s.domainArBw, latFabric);
  return out;
}

/** One ring level of eq. N2: reduce-scatter and all-gather among n members, 2 (n-1)/n x bytes each, 2 (n-1) steps. */
function ringTime(bytes: number, n: number, bw: number, lat: number): number {
  return (((2 * (n - 1)) / n) * bytes) / bw + 2 * (n - 1) * lat;
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
  const intra = G > 1 ? ringTime(bytes, G, fabricBw, latFabric) : 0;
  const nicTime = N > 1 ? ringTime(bytes, N, nicBwNode, latNic) : 0;
  out.time = COLLECTIVE_BASE_LATENCY_S + intra + nicTime;
  out.nicTime = nicTime;
  return out;
}
