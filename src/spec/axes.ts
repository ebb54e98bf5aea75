// Expands swept axes (lists or ranges) into the sorted values they stand for.
export interface RangeAxis {
  from: number;
  to: number;
  steps?: number;
  scale: "linear" | "log" | "pow2";
}
export type AxisSpec = number[] | RangeAxis;

export const MAX_AXIS_VALUES = 10000;

/** Values of an axis, in the order written (lists) or ascending (ranges); integers when `integer`. */
export function expandAxis(axis: AxisSpec, integer: boolean): number[] {
  if (Array.isArray(axis)) return [...new Set(axis)];
  const { from, to, scale } = axis;
  const lo = Math.min(from, to),
    hi = Math.max(from, to);
  let values: number[] = [];
  if (scale === "pow2") {
    for (
      let v = 2 ** Math.ceil(Math.log2(lo) - 1e-12);
      v <= hi * (1 + 1e-12) && values.length < MAX_AXIS_VALUES + 1;
      v *= 2
    )
      values.push(v);
  } else {
    // bounded however the range is written: the schema refuses more steps, but this runs on unvalidated specs too
    const steps = Math.min(axis.steps ?? 5, MAX_AXIS_VALUES + 1);
    for (let i = 0; i < steps; i++) {
      const t = steps === 1 ? 0 : i / (steps - 1);
      values.push(scale === "log" ? lo * (hi / lo) ** t : lo + (hi - lo) * t);
    }
  }
  if (integer) values = values.map((v) => Math.round(v));
  else values = values.map((v) => Number(v.toPrecision(12)));
  return [...new Set(values)];
}

/** Problems with a range that the schema cannot express: empty pow2 ranges, integer ranges that collapse. */
export function axisProblem(axis: AxisSpec, integer: boolean): string | undefined {
  if (Array.isArray(axis)) return undefined;
  // a range the schema refuses (ends not positive numbers, steps not a count) is left to the schema's message
  const { from, to, steps } = axis as { from: unknown; to: unknown; steps?: unknown };
  if (typeof from !== "number" || typeof to !== "number" || !(from > 0 && to > 0 && from < Infinity && to < Infinity))
    return undefined;
  if (
    steps !== undefined &&
    !(typeof steps === "number" && Number.isInteger(steps) && steps >= 1 && steps <= MAX_AXIS_VALUES)
  )
    return undefined;
  if (!["linear", "log", "pow2"].includes(axis.scale)) return undefined;
  const values = expandAxis(axis, integer);
  if (values.length === 0) {
    const kind = axis.scale === "pow2" ? "power of two" : "value";
    const range = `range ${axis.from}..${axis.to} (${axis.scale})`;
    return `${range} holds no value (expected a range that contains at least one ${kind})`;
  }
  if (values.length > MAX_AXIS_VALUES) return `range holds more than ${MAX_AXIS_VALUES} values (expected fewer steps)`;
  if (integer && values.some((v) => v < 1)) return `range gives values below 1 (expected integers of at least 1)`;
  return undefined;
}
