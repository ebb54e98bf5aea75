// Reading back what recsweep wrote (manifest.json, shard.json, checkpoint.json): bounded reads, JSON parsed and
// validated against a schema, then checked against the plan, so a corrupt or foreign file is a user error (exit 2)
// that names the file and the field, never an internal error.
import type { ValidateFunction } from "ajv/dist/2020.js";
import { InputError } from "../input/errors.ts";
import { readTextFile } from "../input/read.ts";
import { compileAtRunTime, displayPath } from "../input/validate.ts";
import { INFEASIBLE_REASONS, NCOLS } from "../model/result.ts";
import { axisValueCount, radices, totalPoints } from "../space/space.ts";
import type { Plan } from "../spec/plan.ts";
import type { RunState } from "./state.ts";

/** Shard and checkpoint files hold frontiers: larger than specs, still bounded. */
export const MAX_RUN_FILE_BYTES = 1024 * 1024 * 1024;

const hash = { type: "string", pattern: "^[0-9a-f]{64}$" };
const count = { type: "integer", minimum: 0, maximum: 2 ** 53 };
const row = { type: "array", minItems: NCOLS, maxItems: NCOLS, items: { type: ["number", "null"] } };
const point = { type: "object", required: ["index", "row"], properties: { index: count, row } };
const state = {
  type: "object",
  required: ["range", "reasonCounts", "frontier", "best", "sample", "axisBest"],
  properties: {
    range: { type: "array", minItems: 2, maxItems: 2, items: count },
    reasonCounts: {
      type: "array",
      minItems: 1,
      maxItems: INFEASIBLE_REASONS.length,
      items: { type: "number", minimum: 0 },
    },
    frontier: { type: "array", items: point },
    best: { type: "array", items: { anyOf: [point, { type: "null" }] } },
    sample: { type: "array", items: point },
    axisBest: { type: "array", items: { type: ["number", "null"] } },
  },
};
const SCHEMAS = {
  manifest: {
    type: "object",
    required: ["tool", "spec_name", "spec_sha256", "catalog_sha256", "fit_sha256", "points_total"],
    properties: {
      tool: { const: "recsweep" },
      spec_name: { type: "string" },
      spec_sha256: hash,
      catalog_sha256: hash,
      fit_sha256: hash,
      points_total: count,
      shard: {
        type: "object",
        required: ["index", "count", "start", "end"],
        properties: { index: count, count, start: count, end: count },
      },
    },
  },
  shard: state,
  checkpoint: {
    type: "object",
    required: ["spec_sha256", "catalog_sha256", "fit_sha256", "range", "next_index", "points_bytes", "state"],
    properties: {
      spec_sha256: hash,
      catalog_sha256: hash,
      fit_sha256: hash,
      range: state.properties.range,
      next_index: count,
      points_bytes: count,
      state,
    },
  },
} as const;
export type RunFileKind = keyof typeof SCHEMAS;

const WHAT: Record<RunFileKind, string> = {
  manifest: "the manifest.json recsweep run writes",
  shard: "the shard.json recsweep run --shard K/N writes",
  checkpoint: "the checkpoint.json an interrupted recsweep run leaves",
};

const validators = new Map<RunFileKind, ValidateFunction>();

/** Reads and validates one of recsweep's own JSON files; any problem is an InputError naming file and field. */
export function readRunJson(file: string, kind: RunFileKind, hint = ""): unknown {
  const text = readTextFile(file, MAX_RUN_FILE_BYTES);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(
      `${file}: not valid JSON (${(e as Error).message.split("\n")[0]}; expected ${WHAT[kind]}${hint})`,
    );
  }
  let validate = validators.get(kind);
  if (!validate) {
    validate = compileAtRunTime(SCHEMAS[kind]);
    validators.set(kind, validate);
  }
  if (!validate(data)) {
    const problems = (validate.errors ?? []).slice(0, 5).map((e) => {
      const path = e.instancePath
        .split("/")
        .slice(1)
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
      return `${file}: ${displayPath(path)}: ${e.message ?? e.keyword} (expected ${WHAT[kind]}${hint})`;
    });
    throw new InputError(problems);
  }
  return data;
}

/** Checks a shard's or checkpoint's state against the plan it is merged into: sizes and indices in range. */
export function checkState(s: RunState, plan: Plan, file: string, hint = ""): RunState {
  const total = totalPoints(plan);
  const bad = (what: string) =>
    new InputError(`${file}: ${what} (expected a file written for this sweep by this recsweep${hint})`);
  const [a, b] = s.range;
  if (!(a <= b && b <= total)) throw bad(`range ${a}..${b} is outside the sweep's ${total} points`);
  if (s.best.length !== plan.systems.length)
    throw bad(`best holds ${s.best.length} entries for ${plan.systems.length} systems`);
  const axisBestSize = plan.workloads.length * axisValueCount(radices(plan));
  if (s.axisBest.length !== axisBestSize) throw bad(`axisBest holds ${s.axisBest.length} values, not ${axisBestSize}`);
  for (const [name, list] of [
    ["frontier", s.frontier],
    ["sample", s.sample],
    ["best", s.best],
  ] as const) {
    for (const p of list)
      if (p && !(p.index >= a && p.index < b))
        throw bad(`${name} names point ${p.index}, outside its range ${a}..${b}`);
  }
  return s;
}
