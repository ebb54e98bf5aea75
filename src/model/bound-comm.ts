// Lower bound of the exchange a design point exposes (eq. N1, N2, N4, T1) over a block of node counts, for
// model/bounds.ts (docs/cost-model.md, "Bounds for pruning", B4). Pure; creates no objects.
import { exchangeBytes, type SoftwareStack } from "./software.ts";
import { hotSetHitRateOnce } from "./memory.ts";
import type { NodeModel } from "./node.ts";
import type { ModelParams } from "./params.ts";
import { mixedBoundary } from "./mixed.ts";
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
import { FITS_ROUNDING, freeHbmForTables, HYBRID_MAX_SHARE_OF_FREE_HBM } from "./tiers.ts";
import type { WorkloadModel } from "./workload.ts";

/** Pooled embeddings cross once forward and their gradients once backward (embedding.ts, eq. N1). */
const FORWARD_AND_BACKWARD = 2;
const FP32_BYTES = 4;

/** The exposed exchange's lower bound as `slope` per local sample + `fixed` seconds, before the maturity m. */
export const exposedLine = new Float64Array(2);

/** eq. N1 per local sample on N nodes: the larger of the fabric part A / N and the NIC part B (1 - 1/N). */
function crossing(A: number, B: number, n: number): number {
  return Math.max(A / n, B * (1 - 1 / n));
}

/**
 * eq. E4g, E11: the largest share of the traffic the replicated frequent rows can serve on `node`: that of the
 * frequency-ranked set filling their cap (half the free device memory). Any frequent set within the cap serves no
 * more (E4g's ranking by accesses per byte is the most hits for its bytes), and one beyond it is that set.
 */
function largestHotHit(node: NodeModel, w: WorkloadModel): number {
  const cap = Math.max(0, freeHbmForTables(node, w) * HYBRID_MAX_SHARE_OF_FREE_HBM);
  // 1e-9 above: the bisection's last threshold leaves its set a hair under the cap
  return Math.min(1, hotSetHitRateOnce(w, Math.min(cap, w.embBytes)) * (1 + 1e-9));
}

/**
 * eq. E2m: the least share of the pooled elements that hbm-mixed splits row-wise on up to `nMax` nodes: its plan
 * with the most devices and the most room (device memory after the reserve and MLP state, no activations), which
 * splits no more tables than any point of the block (mixed.ts, mixedBoundary).
 */
function leastSplitShare(node: NodeModel, w: WorkloadModel, nMax: number): number {
  const room = freeHbmForTables(node, w);
  const i = mixedBoundary(w.splitPlan, w.embBytes, node.devices * nMax, room * FITS_ROUNDING);
  return w.splitPlan.pooled[i]! / w.pooledElemsPerSample;
}

/**
 * Writes into exposedLine a lower bound of the exposed all-to-all and all-reduce (before m) of placement `pl` on
 * `node` for N in [nLo, nMax] and local batches in [bLo, bMax]: the exchange's lower bound c(b) = cS b + cI (N1, N2:
 * payloads at least those of the placement, each part taken at the N that makes it least), then
 * max(0, c(b) - phi (alpha b + beta)) for a pipelined stack (T1: compute is exactly alpha b + beta), written as a
 * line whose intercept is not negative (so that per sample it falls with b).
 */
export function exposedExchange(
  node: NodeModel,
  w: WorkloadModel,
  pl: number,
  nLo: number,
  nMax: number,
  bLo: number,
  bMax: number,
  sAct: number,
  alpha: number,
  beta: number,
  stack: SoftwareStack,
  p: ModelParams,
): void {
  exposedLine[0] = 0;
  exposedLine[1] = 0;
  if (pl === P_PS) return; // E9: neither exchange (the servers hold the tables and the dense parameters)
  // eq. N6: nodes of a rack-scale fabric domain exchange over the fabric up to the domain's size and over the NICs
  // beyond it; the crossing argument below assumes NICs from two nodes on, so such nodes get the trivial bound 0
  if (node.domainNodes > 1) return;
  const G = node.devices;
  const lat = p.collective_latency_s,
    latNic = node.nicLatencyS;
  const nicBw = node.nicBw * p.nic_eff,
    fabricAr = node.fabricArBw * p.fabric_eff;
  // eq. N4: the fabric's all-to-all rate, staged through host memory where the stack needs peer access it lacks
  const staged = node.directPeerShare === 0 ? 1 : stack.p2pRequired ? 1 - node.directPeerShare : 0;
  const fabricA2a =
    staged > 0
      ? 1 / ((1 - staged) / fabricAr + staged / (node.stagedBw * p.staged_eff))
      : node.fabricA2aBw * p.fabric_eff;
  const pooled = w.pooledElemsPerSample * exchangeBytes(stack, sAct); // bytes per sample of exchanged pooled vectors
  let slope = 0,
    fixed = 0;
  // ---- all-to-all (N1): twice (forward and backward) the slower of its fabric and NIC parts
  let share = 0; // payload per device per local sample, as a multiple of the table-wise payload pooled (P-1)/P
  if (pl === P_TABLE || pl === P_COL || pl === P_HOST || pl === P_CACHE || pl === P_AUTO) share = 1;
  else if (pl === P_HYBRID)
    share = 1 - largestHotHit(node, w); // E11: only the sharded part's lookups cross
  else if (pl === P_ROW)
    share = G * nLo; // E2b: partial sums of all B samples
  else if (pl === P_MIXED) share = 1 + (G * nLo - 1) * leastSplitShare(node, w, nMax); // E2m: its split tables' part
  if (node.isCpuOnly || pl === P_CPU || pl === P_SSD) {
    // E5: one exchange per node, between nodes only: G b pooled (N-1)/N bytes over the NICs
    if (nLo > 1) {
      slope += (FORWARD_AND_BACKWARD * G * pooled * ((nLo - 1) / nLo)) / nicBw;
      fixed += FORWARD_AND_BACKWARD * latNic;
    }
  } else if (share > 0) {
    // per local sample, the fabric part is A / N (share x pooled (G-1) / (G N) over the fabric) and the NIC part
    // B (1 - 1/N) (share x pooled G (N-1)/N over the NICs): max(A/N, B (1 - 1/N)) is least where they cross,
    // N* = 1 + A/B, at AB / (A + B); outside [nLo, nMax] at the nearer end. Latencies: the fabric's (G-1) steps,
    // or the NICs' one from two nodes on; max(a + c, a' + c') >= max(a, a') + min(c, c').
    const A = G > 1 ? (share * pooled * (G - 1)) / G / fabricA2a : 0;
    const B = (share * pooled * G) / nicBw;
    const nStar = B > 0 ? 1 + A / B : Infinity;
    const least = nStar <= nLo ? crossing(A, B, nLo) : nStar >= nMax ? crossing(A, B, nMax) : (A * B) / (A + B);
    const intraI = G > 1 ? (G - 1) * lat : 0;
    slope += FORWARD_AND_BACKWARD * least;
    fixed += FORWARD_AND_BACKWARD * (nMax > 1 ? Math.min(intraI, latNic) : intraI);
  }
  // ---- all-reduce (N2): the dense gradients (replicated: and the tables'), fabric part plus NIC part
  const bytes = w.denseParams * sAct + (pl === P_REPL ? w.embWeightBytes * (sAct / FP32_BYTES) : 0);
  if (G > 1) fixed += ((2 * (G - 1)) / G) * (bytes / fabricAr) + 2 * (G - 1) * lat;
  if (nLo > 1) fixed += ((2 * (nLo - 1)) / nLo) * (bytes / nicBw) + 2 * (nLo - 1) * latNic;
  if (!stack.pipelined) {
    exposedLine[0] = slope;
    exposedLine[1] = fixed;
    return;
  }
  // T1, pipelined: max(0, s b + c) with s, c the exchange less the hidden share of compute
  const s = slope - p.overlap * alpha,
    c = fixed - p.overlap * beta;
  if (c >= 0) {
    if (s >= 0) {
      exposedLine[0] = s;
      exposedLine[1] = c;
    } else exposedLine[1] = Math.max(0, s * bMax + c); // falls with b: its least on the block is at bMax
  } else {
    // a negative intercept: for b >= bLo, s b + c >= (s + c / bLo) b, a line through 0
    exposedLine[0] = Math.max(0, s + c / bLo);
  }
}
