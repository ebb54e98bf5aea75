// Memory-tier terms. Equations: docs/cost-model.md section E.
import type { WorkloadModel } from "./workload.ts";

/** eq. E1: share of peak bandwidth a gather of rows of `rowBytes` reaches: e_max * r / (r + r_half). */
export function gatherEfficiency(rowBytes: number, effMax: number, halfRowBytes: number): number {
  return (effMax * rowBytes) / (rowBytes + halfRowBytes);
}

/**
 * eq. E4: share of accesses that hit a cache holding the hottest `cacheFraction` of `rows` rows whose accesses
 * follow a Zipf law of exponent `alpha` (continuous approximation of the generalised harmonic numbers):
 * H = ((cN)^(1-a) - 1) / (N^(1-a) - 1), ln(cN)/ln(N) at a = 1, and c at a = 0.
 */
export function zipfHitRate(cacheFraction: number, rows: number, alpha: number): number {
  if (cacheFraction >= 1) return 1;
  if (cacheFraction <= 0 || rows <= 1) return cacheFraction <= 0 ? 0 : 1;
  const cached = Math.max(1, cacheFraction * rows);
  if (alpha === 0) return cacheFraction;
  if (Math.abs(alpha - 1) < 1e-9) return Math.log(cached) / Math.log(rows);
  const e = 1 - alpha;
  return (cached ** e - 1) / (rows ** e - 1);
}

/** eq. E4 over all table groups: every table caches the same share of its rows; hits weighted by traffic. */
export function cacheHitRate(w: WorkloadModel, cacheBytes: number): number {
  if (cacheBytes <= 0) return 0;
  const c = Math.min(1, cacheBytes / w.embBytes);
  let hit = 0;
  for (const g of w.groups) hit += g.count * g.trafficPerSample * zipfHitRate(c, g.rows, g.zipf);
  return hit / w.embTrafficPerSample;
}

/** Steps of the bisection on the marginal hit per byte in hotSetHitRate: 2^-80 of its log range. */
const HOT_SET_BISECTION_STEPS = 80;

/**
 * Zipf mass of the `k` hottest of a table's rows (unnormalised), by the midpoint rule
 * sum_{i=1..k} i^-a ~ integral from 1/2 to k + 1/2 of x^-a dx, which is exact enough from the first row on (the
 * plain integral from 1 gives the hottest row no mass).
 */
function zipfMass(k: number, alpha: number): number {
  if (k <= 0) return 0;
  if (Math.abs(alpha - 1) < 1e-9) return Math.log(2 * k + 1);
  const e = 1 - alpha;
  return ((k + 0.5) ** e - 0.5 ** e) / e;
}

/**
 * eq. E4g: share of lookups served by a hot set of `bytes` holding the globally most accessed rows of all tables,
 * as a frequency-ranked selection (HugeCTR's hybrid embedding picks its frequent categories by count over all
 * tables) converges to: rows are taken in order of accesses per byte, so table t keeps its k_t hottest rows where
 * the marginal row's accesses per byte, (traffic_t / F_t(R_t)) (k_t + 1/2)^-a_t / rowBytes_t, equals one threshold
 * chosen (by bisection) so that the rows fill `bytes`. F is zipfMass. A small table is then held whole, a long
 * cold tail not at all, where a uniform share per table (cacheHitRate) caches a sliver of every table.
 */
export function hotSetHitRate(w: WorkloadModel, bytes: number): number {
  if (bytes <= 0) return 0;
  if (bytes >= w.embBytes) return 1;
  const n = w.groups.length;
  const weight = new Float64Array(n),
    rowBytes = new Float64Array(n),
    total = new Float64Array(n),
    kept = new Float64Array(n);
  let hi = 0,
    lo = Infinity;
  for (let g = 0; g < n; g++) {
    const t = w.groups[g]!;
    total[g] = zipfMass(t.rows, t.zipf);
    weight[g] = t.trafficPerSample / total[g]!;
    rowBytes[g] = t.tableBytes / t.rows;
    hi = Math.max(hi, (weight[g]! * 0.5 ** -t.zipf) / rowBytes[g]!);
    lo = Math.min(lo, (weight[g]! * (t.rows + 0.5) ** -t.zipf) / rowBytes[g]!);
  }
  const fill = (lambda: number): number => {
    let used = 0;
    for (let g = 0; g < n; g++) {
      const t = w.groups[g]!;
      const ratio = weight[g]! / (rowBytes[g]! * lambda);
      const k = t.zipf > 0 ? ratio ** (1 / t.zipf) - 0.5 : ratio >= 1 ? t.rows : 0;
      kept[g] = Math.min(t.rows, Math.max(0, k));
      used += t.count * kept[g]! * rowBytes[g]!;
    }
    return used;
  };
  let logLo = Math.log(lo),
    logHi = Math.log(hi);
  for (let i = 0; i < HOT_SET_BISECTION_STEPS; i++) {
    const mid = 0.5 * (logLo + logHi);
    if (fill(Math.exp(mid)) > bytes) logLo = mid;
    else logHi = mid;
  }
  fill(Math.exp(logHi)); // the threshold whose rows fit
  let hit = 0;
  for (let g = 0; g < n; g++) {
    const t = w.groups[g]!;
    hit += t.count * t.trafficPerSample * (zipfMass(kept[g]!, t.zipf) / total[g]!);
  }
  return hit / w.embTrafficPerSample;
}

/** eq. E4g's hit rate per (workload, bytes). */
const hotSetMemo = new WeakMap<WorkloadModel, Map<number, number>>();

/** hotSetHitRate, computed once per (workload, bytes): the bisection is the costly part of eq. E4g. */
export function hotSetHitRateOnce(w: WorkloadModel, bytes: number): number {
  let m = hotSetMemo.get(w);
  if (!m) hotSetMemo.set(w, (m = new Map()));
  let h = m.get(bytes);
  if (h === undefined) m.set(bytes, (h = hotSetHitRate(w, bytes)));
  return h;
}

/**
 * eq. E11's per-group constants, so that a threshold costs two powers per distinct Zipf exponent and a few
 * multiplications per table group (the kernel asks one threshold per batch, devices and nodes): with
 * x_t = (pooling_t / F_t(R_t))^(1/a), the kept rows are k_t = x_t q^(-1/a) - 1/2 and their mass
 * F_t(k_t) = (x_t^(1-a) (q^(-1/a))^(1-a) - 2^(a-1)) / (1-a) (ln(2 x_t q^-1) at a = 1).
 */
class FrequentGroups {
  readonly x: Float64Array;
  readonly xPow: Float64Array;
  readonly total: Float64Array;
  /** 2^(a-1), the midpoint rule's lower end */
  readonly halfPow: Float64Array;
  readonly which: Int32Array;
  readonly alphas: Float64Array;
  /** scratch per distinct exponent: q^(-1/a) and its (1-a)th power */
  readonly q1: Float64Array;
  readonly q2: Float64Array;
  constructor(readonly w: WorkloadModel) {
    const alphas = [...new Set(w.groups.map((g) => g.zipf))];
    this.alphas = Float64Array.from(alphas);
    this.which = Int32Array.from(w.groups, (g) => alphas.indexOf(g.zipf));
    this.total = Float64Array.from(w.groups, (g) => zipfMass(g.rows, g.zipf));
    this.x = Float64Array.from(w.groups, (g, i) => (g.zipf > 0 ? (g.pooling / this.total[i]!) ** (1 / g.zipf) : 0));
    this.xPow = Float64Array.from(w.groups, (g, i) => this.x[i]! ** (1 - g.zipf));
    this.halfPow = Float64Array.from(w.groups, (g) => 0.5 ** (1 - g.zipf));
    this.q1 = new Float64Array(alphas.length);
    this.q2 = new Float64Array(alphas.length);
  }

  /** frequentRows of the workload at threshold q, into out. */
  rows(q: number, out: Float64Array): void {
    for (let k = 0; k < this.alphas.length; k++) {
      const a = this.alphas[k]!;
      this.q1[k] = a > 0 ? q ** (-1 / a) : 0;
      this.q2[k] = this.q1[k]! ** (1 - a);
    }
    const groups = this.w.groups;
    let hit = 0,
      bytes = 0,
      weightBytes = 0;
    for (let g = 0; g < groups.length; g++) {
      const t = groups[g]!,
        c = this.which[g]!,
        a = t.zipf;
      let kept = 0,
        mass = 0;
      if (a > 0) {
        const xq = this.x[g]! * this.q1[c]!; // k + 1/2
        if (xq - 0.5 >= t.rows) {
          kept = t.rows;
          mass = this.total[g]!;
        } else if (xq > 0.5) {
          kept = xq - 0.5;
          mass = Math.abs(a - 1) < 1e-9 ? Math.log(2 * xq) : (this.xPow[g]! * this.q2[c]! - this.halfPow[g]!) / (1 - a);
        }
      } else if (t.pooling / t.rows >= q) {
        kept = t.rows;
        mass = this.total[g]!;
      }
      hit += t.count * t.trafficPerSample * (mass / this.total[g]!);
      bytes += t.count * kept * (t.tableBytes / t.rows);
      weightBytes += t.count * kept * t.dim * 4;
    }
    out[0] = this.w.embTrafficPerSample > 0 ? hit / this.w.embTrafficPerSample : 0;
    out[1] = bytes;
    out[2] = weightBytes;
  }
}
const frequentGroupsOf = new WeakMap<WorkloadModel, FrequentGroups>();

/** frequentRows through the workload's precomputed constants (built once per workload). */
export function frequentRowsFast(w: WorkloadModel, q: number, out: Float64Array): void {
  let f = frequentGroupsOf.get(w);
  if (!f) frequentGroupsOf.set(w, (f = new FrequentGroups(w)));
  f.rows(q, out);
}

/**
 * eq. E11: HugeCTR's frequent categories. A row is frequent when its expected occurrences per sample reach `q`
 * (HugeCTR's count threshold over its statistics batches, per sample): table t keeps the k_t hottest of its R_t rows
 * with pooling_t i^-a_t / F_t(R_t) >= q, k_t = (pooling_t / (F_t(R_t) q))^(1/a_t) - 1/2 (F is zipfMass; the -1/2 is
 * its midpoint convention, as in hotSetHitRate); at a_t = 0 every row has pooling_t / R_t. Writes into `out` the
 * share of the embedding traffic the frequent rows serve, their bytes as stored (rows times the tables' bytes per
 * row, optimizer state included) and their fp32 weights' bytes (what their gradient all-reduce carries, at fp32).
 */
export function frequentRows(w: WorkloadModel, q: number, out: Float64Array): void {
  let hit = 0,
    bytes = 0,
    weightBytes = 0;
  for (const t of w.groups) {
    const total = zipfMass(t.rows, t.zipf);
    const ratio = t.pooling / (total * q);
    const k = t.zipf > 0 ? ratio ** (1 / t.zipf) - 0.5 : t.pooling / t.rows >= q ? t.rows : 0;
    const kept = Math.min(t.rows, Math.max(0, k));
    hit += t.count * t.trafficPerSample * (zipfMass(kept, t.zipf) / total);
    bytes += t.count * kept * (t.tableBytes / t.rows);
    weightBytes += t.count * kept * t.dim * 4;
  }
  out[0] = w.embTrafficPerSample > 0 ? hit / w.embTrafficPerSample : 0;
  out[1] = bytes;
  out[2] = weightBytes;
}
