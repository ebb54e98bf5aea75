// Which model fault a NaN or infinite figure is: the reasons infeasible.csv and explain name instead of a guess.
import type { JobEnv } from "./env.ts";
import type { NodeModel } from "./node.ts";
import { BOTTLENECKS, FIRST_TERM_COLUMN, R } from "./result.ts";

/** Which time term came out NaN or infinite (the first), as an infeasibility code; the terms are in `out`. */
export function timeFault(out: Float64Array, o: number): number {
  for (let k = 0; k < BOTTLENECKS.length; k++) {
    if (!Number.isFinite(out[o + FIRST_TERM_COLUMN + k]!)) return R[`model-fault-${BOTTLENECKS[k]}`]!;
  }
  return R["model-fault-throughput"]!;
}

/** A cost that is not a positive number: no price (a missing or zero price), or a model fault (a price is there). */
export function costFault(cost: number, node: NodeModel, ps: NodeModel, servers: number, env: JobEnv): number {
  if (Number.isFinite(cost)) return R["no-price"]!; // zero or negative: no usable price
  const override = !Number.isNaN(env.cloudUsdPerNodeHourOverride);
  const missing = env.cloudBasis
    ? !override && (Number.isNaN(node.cloudUsdPerHour) || (servers > 0 && Number.isNaN(ps.cloudUsdPerHour)))
    : Number.isNaN(node.priceUsd) || (servers > 0 && Number.isNaN(ps.priceUsd));
  return missing ? R["no-price"]! : R["model-fault-cost"]!;
}
