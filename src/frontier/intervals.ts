// A design point's prediction interval and the aspects it extrapolates in (issue 16; docs/calibration.md
// "Prediction intervals"). The unmeasured aspects depend on the system, node count, placement and precision only,
// so they are found once per value of each axis and combined per point with a few lookups.
import { ASPECTS, type Aspect, aspectCounts, traitsOf, unmeasuredAspects } from "../model/extrapolation.ts";
import { type IntervalFactors, intervalFactors } from "../model/intervals.ts";
import { C } from "../model/result.ts";
import { PLACEMENTS, PRECISIONS } from "../schema/vocab.ts";
import { AXIS } from "../space/space.ts";
import type { Plan } from "../spec/plan.ts";

export interface PointUncertainty {
  factors: IntervalFactors;
  /** aspects without a measurement behind them, in ASPECTS order (empty: calibrated) */
  unmeasured: Aspect[];
}

const bit = (a: Aspect) => 1 << ASPECTS.indexOf(a);

/**
 * Per-point intervals of a plan; `of` returns null when the fit has no interval model. The unmeasured aspects of each
 * (system, node count, placement variant, precision, residency) are found on first use and kept: a sweep over many
 * node designs writes few of them.
 */
export class PointIntervals {
  private readonly byMask = new Map<number, PointUncertainty>();
  /** bitmask of unmeasured aspects by combination key (see `of`) */
  private readonly masks = new Map<number, number>();
  constructor(private readonly plan: Plan) {}

  /**
   * The uncertainty of the point at coordinates `d` (see space/space.ts AXIS), or null without an interval model.
   * `resident`: the point's placement moved no byte off the accelerators (no host-link, parameter-server or storage
   * time), so its tables behaved as if held in HBM (an `hbm-cache` or `auto` whose tables all fit) and it is
   * judged as the HBM placement it behaved as.
   */
  of(d: ArrayLike<number>, resident = false): PointUncertainty | null {
    const plan = this.plan,
      iv = plan.intervals;
    if (!iv) return null;
    const s = d[AXIS.system]!,
      n = d[AXIS.nodes]!,
      p = d[AXIS.embedding_placement]!,
      r = d[AXIS.precision]!;
    const key =
      (((s * plan.nodes.length + n) * plan.placements.length + p) * plan.precisions.length + r) * 2 +
      (resident ? 1 : 0);
    let mask = this.masks.get(key);
    if (mask === undefined) {
      const placement = resident ? "hbm-table-wise" : PLACEMENTS[plan.placements[p]!.placement]!;
      const t = traitsOf(plan.systems[s]!, plan.nodes[n]!, plan.software, placement, PRECISIONS[plan.precisions[r]!]!);
      mask = 0;
      for (const a of unmeasuredAspects(t, iv.measured)) mask |= bit(a);
      this.masks.set(key, mask);
    }
    let u = this.byMask.get(mask);
    if (!u) {
      const unmeasured = ASPECTS.filter((a) => mask! & bit(a));
      u = { factors: intervalFactors(iv.model, aspectCounts(unmeasured)), unmeasured };
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
