// The PointsEncoder (engine/encode.ts) of points.csv: worker threads load this module and format their ranges'
// points as CSV lines (UTF-8), so the main thread only writes bytes in index order.
import type { Plan } from "../spec/plan.ts";
import { PointLines } from "./format.ts";

const linesOf = new WeakMap<Plan, PointLines>();
const utf8 = new TextEncoder();

export function encodePoints(plan: Plan, index: Float64Array, rows: Float64Array): Uint8Array {
  let lines = linesOf.get(plan);
  if (!lines) {
    lines = new PointLines(plan);
    linesOf.set(plan, lines);
  }
  return utf8.encode(lines.lines(index, rows));
}

/** This module's URL, for SweepOptions.pointsEncoder (the .ts file under tsx, the built .js otherwise). */
export const POINTS_ENCODER_URL = import.meta.url;
