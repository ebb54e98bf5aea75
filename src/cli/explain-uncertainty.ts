// What `recsweep explain` says about how sure a feasible point's throughput is (issue 16; docs/calibration.md
// "Prediction intervals"): its 80 % and 95 % intervals, the aspects it extrapolates in and the part behind each, and
// which time term moves most when the fit's parameters vary within their uncertainty (bootstrap draws).
import { type ScoringContext, withParams } from "../engine/context.ts";
import { PointIntervals } from "../frontier/intervals.ts";
import { type Aspect, traitsOf } from "../model/extrapolation.ts";
import { BOTTLENECKS } from "../model/result.ts";
import type { ScoredPoint } from "../model/score-point.ts";
import { formatNumber } from "../output/format.ts";
import { PLACEMENTS, PRECISIONS } from "../schema/vocab.ts";
import { AXIS } from "../space/space.ts";
import { scoreAt } from "./explain-detail.ts";

const f = formatNumber;

/** The part or setting an unmeasured aspect stands for, in words. */
function aspectText(a: Aspect, ctx: ScoringContext, d: Int32Array): string {
  const plan = ctx.plan;
  const t = traitsOf(
    plan.systems[d[AXIS.system]!]!,
    ctx.nodeCounts[d[AXIS.nodes]!]!,
    plan.software,
    PLACEMENTS[ctx.placementOf[d[AXIS.embedding_placement]!]!]!,
    PRECISIONS[ctx.precisionOf[d[AXIS.precision]!]!]!,
  );
  const m = plan.intervals!.measured;
  const what: Record<Aspect, string> = {
    accelerator: `accelerator ${t.accelerator}`,
    host: `host CPU ${t.host} (its memory serves the tables)`,
    software: `software ${t.software.replace("/", " on ")}`,
    release: `software release ${t.release}`,
    node_shape: `node shape ${t.nodeShape}`,
    scale: `${t.devices} devices on ${t.nodes} nodes (measured up to ${m.max_devices} devices, ${m.max_nodes} nodes)`,
    placement: `placement class ${t.placement}`,
    precision: `precision ${t.precision}`,
  };
  return what[a];
}

/** Lines for explain: intervals, unmeasured aspects, and the time term that moves most under parameter draws. */
export function uncertaintyLines(ctx: ScoringContext, d: Int32Array, point: ScoredPoint): string[] {
  const plan = ctx.plan;
  const resident = point.time.hostlink_s === 0 && point.time.ps_s === 0 && point.time.storage_s === 0;
  const u = new PointIntervals(plan).of(d, resident);
  if (!u) return ["uncertainty: no interval model (hardware/fit/intervals.json is missing)"];
  const t = point.throughput_samples_per_s;
  const out = [
    `uncertainty: throughput 80 % interval ${f(t * u.factors.lo80)}-${f(t * u.factors.hi80)}, 95 % interval ` +
      `${f(t * u.factors.lo95)}-${f(t * u.factors.hi95)} samples/s (cross-validated errors, docs/calibration.md)`,
  ];
  if (u.unmeasured.length === 0) out.push("  calibrated: every aspect of this point has measurements behind it");
  else {
    out.push("  extrapolated: no fitted measurement has");
    for (const a of u.unmeasured) out.push(`    ${aspectText(a, ctx, d)}`);
  }
  const draws = plan.intervals?.draws ?? [];
  if (draws.length) {
    const scored = draws.map((params) => scoreAt(withParams(ctx, params), d).time);
    const spread = BOTTLENECKS.map((term) => {
      const values = scored.map((time) => time[`${term}_s`]).sort((a, b) => a - b);
      return {
        term,
        lo: values[Math.floor(0.1 * (values.length - 1))]!,
        hi: values[Math.ceil(0.9 * (values.length - 1))]!,
      };
    });
    const widest = [...spread].sort((a, b) => b.hi - b.lo - (a.hi - a.lo))[0]!;
    out.push(
      `  under the fit's ${draws.length} bootstrap parameter sets the ${widest.term} term moves most: ` +
        `${f(widest.lo * 1e3)}-${f(widest.hi * 1e3)} ms (10-90 %)`,
    );
  }
  return out;
}
