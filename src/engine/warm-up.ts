// Warm-up of a fresh worker thread's compiled code before it scores its ranges (see warmUp).
import { AXIS, coordsToIndex, pointsPerWorkload, totalPoints } from "../space/space.ts";
import { RangeAccumulator } from "./accumulator.ts";
import type { ScoringContext } from "./context.ts";
import { scoreInto, scoreRange } from "./range.ts";

/**
 * Warms a fresh thread's compiled code before it scores its ranges. The optimising compiler specialises the model
 * and the bookkeeping on the paths it has seen; a path met later (another placement, a CPU node, a table too big
 * for a node's memory, the first parameter-server point) throws the optimised code away, and the thread runs
 * several times slower until the model is compiled again (50-100 ms of compiling, on a core the other thread needs).
 * Measured on 2 cores: without a warm-up the first million points of each worker ran at a third of its later speed,
 * and one such pass is all a worker of a 10^7-point sweep runs.
 * So, twice (the second pass meets, with optimised code, the rare paths the first met before it was optimised):
 * every combination of system, placement and node count, each with a workload drawn from the smallest, middle and
 * largest of each model's sweep, a batch size drawn by a hash and every precision, through the loop ranges run
 * (`scoreInto`, a few points per call, so V8 compiles that loop as a function, not on-stack-replaced mid-range), with
 * rows kept when the run keeps them; then one short range from start to finish. Results are discarded.
 */
/** Most combinations of system, placement and node count one warm-up pass scores. */
const MAX_WARM_UP_COMBOS = 20_000;

export function warmUp(ctx: ScoringContext, wantPoints: boolean): void {
  const radix = ctx.radix;
  const total = totalPoints(ctx.plan);
  const workloads = warmUpWorkloads(ctx);
  const precisions = radix[AXIS.precision]!;
  const combos = radix[AXIS.system]! * radix[AXIS.nodes]! * radix[AXIS.embedding_placement]!;
  const d = new Int32Array(radix.length);
  const draw = (i: number, salt: number, n: number) =>
    Math.floor(((Math.imul(i * 8 + salt, 2654435761) >>> 0) / 4294967296) * n);
  const perWorkload = pointsPerWorkload(radix);
  // at most MAX_WARM_UP_COMBOS, evenly spread: thousands of node designs need not each be warmed up
  const step = Math.max(1, Math.floor(combos / MAX_WARM_UP_COMBOS));
  const scored = Math.ceil(combos / step) * precisions; // most points one accumulator is given
  for (let pass = 0; pass < 2; pass++) {
    // one workload at a time, each with an accumulator of its own span: one of the whole space held a best value
    // per workload and axis value (20 MB on the hardware bench) and fresh per-system arrays, garbage that raised
    // the thread's RSS at start-up (docs/hardware-axes.md, "Measured", round 4)
    for (let wi = 0; wi < workloads.length; wi++) {
      const w = workloads[wi]!;
      const acc = new RangeAccumulator(ctx, w * perWorkload, (w + 1) * perWorkload, wantPoints, new Map(), scored);
      for (let i = 0; i < combos; i += step) {
        if (draw(i, 1 + pass, workloads.length) !== wi) continue;
        let rest = i;
        for (const k of [AXIS.system, AXIS.embedding_placement, AXIS.nodes]) {
          // system fastest
          d[k] = rest % radix[k]!;
          rest = Math.floor(rest / radix[k]!);
        }
        d[AXIS.workload] = w;
        d[AXIS.batch_size] = draw(i, 3 + pass, radix[AXIS.batch_size]!);
        d[AXIS.precision] = 0;
        const start = coordsToIndex(d, radix);
        scoreInto(acc, ctx, start, start + precisions); // every precision of this point
      }
      acc.recycle();
    }
    // and a short range from start to finish, for the code that ends a range
    const from = coordsToIndex(d, radix);
    scoreRange(ctx, from, Math.min(total, from + 512), wantPoints, new Map());
  }
}

/** Workload indices for the warm-up: the first, middle and last of each model's sweep (tables small to large). */
function warmUpWorkloads(ctx: ScoringContext): number[] {
  const byModel = new Map<string, number[]>();
  ctx.plan.workloads.forEach((w, i) => {
    const l = byModel.get(w.model.id) ?? [];
    l.push(i);
    byModel.set(w.model.id, l);
  });
  const out = new Set<number>();
  for (const l of byModel.values()) for (const at of [0, Math.floor(l.length / 2), l.length - 1]) out.add(l[at]!);
  return [...out];
}
