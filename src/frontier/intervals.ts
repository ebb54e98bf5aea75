// A design point's prediction interval and the aspects it extrapolates in (issue 16; docs/calibration.md
// "Prediction intervals"). The unmeasured aspects depend on the system, node count, placement and precision only,
// so they are found once per value of each axis and combined per point with a few lookups.
import { ASPECTS, type Aspect, aspectCounts, traitsOf, unmeasuredAspects } from "../model/extrapolation.ts";
import { type IntervalFactors, intervalFactors } from "../model/intervals.ts";
import { C } from "../model/result.ts";
import { PLACEMENTS, PRECISIONS } from "../schema/vocab.ts";
import { AXIS } from "../space/space.ts";
import type { Plan } from "../spec/plan.ts";

/** Columns appended to points.csv, frontier.csv and sample.csv (in this order, at the end). */
export const INTERVAL_COLUMNS = [
  "throughput_lo80",
  "throughput_hi80",
  "throughput_lo95",
  "throughput_hi95",
  "extrapolated",
  "unmeasured",
] as const;

export interface PointUncertainty {
  factors: IntervalFactors;
  /** aspects without a measurement behind them, in ASPECTS order (empty: calibrated) */
  unmeasured: Aspect[];
}

const bit = (a: Aspect) => 1 << ASPECTS.indexOf(a);

/** Per-point intervals of a plan; `of` returns null when the fit has no interval model. */
export class PointIntervals {
  private readonly byMask = new Map<number, PointUncertainty>();
  /** [system][node count][placement variant][precision] flattened: bitmask of unmeasured aspects */
  private readonly masks: Int32Array | null;
  /** the same for points whose placement moves no byte off the accelerators (tables all resident in HBM) */
  private readonly residentMasks: Int32Array | null;
  private readonly dims: number[];
  constructor(private readonly plan: Plan) {
    const iv = plan.intervals;
    const S = plan.systems.length,
      N = plan.nodes.length,
      P = plan.placements.length,
      R = plan.precisions.length;
    this.dims = [S, N, P, R];
    if (!iv) {
      this.masks = null;
      this.residentMasks = null;
      return;
    }
    const masks = (resident: boolean) => {
      const out = new Int32Array(S * N * P * R);
      for (let s = 0; s < S; s++)
        for (let n = 0; n < N; n++)
          for (let p = 0; p < P; p++)
            for (let r = 0; r < R; r++) {
              const placement = resident ? "hbm-table-wise" : PLACEMENTS[plan.placements[p]!.placement]!;
              const t = traitsOf(
                plan.systems[s]!,
                plan.nodes[n]!,
                plan.software,
                placement,
                PRECISIONS[plan.precisions[r]!]!,
              );
              let m = 0;
              for (const a of unmeasuredAspects(t, iv.measured)) m |= bit(a);
              out[((s * N + n) * P + p) * R + r] = m;
            }
      return out;
    };
    this.masks = masks(false);
    this.residentMasks = masks(true);
  }

  /**
   * The uncertainty of the point at coordinates `d` (see space/space.ts AXIS), or null without an interval model.
   * `resident`: the point's placement moved no byte off the accelerators (no host-link, parameter-server or storage
   * time), so its tables behaved as if held in HBM (an `hbm-cache` or `auto` whose tables all fit) and it is
   * judged as the HBM placement it behaved as.
   */
  of(d: ArrayLike<number>, resident = false): PointUncertainty | null {
    if (!this.masks || !this.residentMasks || !this.plan.intervals) return null;
    const [, N, P, R] = this.dims as [number, number, number, number];
    const mask = (resident ? this.residentMasks : this.masks)[
      ((d[AXIS.system]! * N + d[AXIS.nodes]!) * P + d[AXIS.embedding_placement]!) * R + d[AXIS.precision]!
    ]!;
    let u = this.byMask.get(mask);
    if (!u) {
      const unmeasured = ASPECTS.filter((a) => mask & bit(a));
      u = { factors: intervalFactors(this.plan.intervals.model, aspectCounts(unmeasured)), unmeasured };
      this.byMask.set(mask, u);
    }
    return u;
  }
}

/** Whether a scored row moved no byte off its accelerators (see PointIntervals.of's `resident`). */
export function residentRow(row: ArrayLike<number>, o = 0): boolean {
  return row[o + C.t_hostlink_s] === 0 && row[o + C.t_ps_s] === 0 && row[o + C.t_storage_s] === 0;
}

/** The interval columns' fields of a point with throughput `t` (numbers unformatted; empty without a model). */
export function intervalFields(u: PointUncertainty | null, t: number): Array<number | string> {
  if (!u || !(t > 0)) return ["", "", "", "", "", ""];
  const f = u.factors;
  return [t * f.lo80, t * f.hi80, t * f.lo95, t * f.hi95, u.unmeasured.length ? 1 : 0, u.unmeasured.join("+")];
}
