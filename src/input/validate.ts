// ajv validation with messages a person can act on: file:line:col: path: message (expected ...).
import type { Ajv2020, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pointerToPath, pruneUnionNoise, resolveSchema, valueAt } from "./union-errors.ts";
import { PROJECT_ROOT, SCHEMA_DIR } from "../paths.ts";
import type { ParsedFile, PathSegment } from "./read.ts";
import { requireCached } from "./code-cache.ts";
import { didYouMean } from "./suggest.ts";

export type SchemaName = "sweep" | "catalog";
export const SCHEMA_NAMES: readonly SchemaName[] = ["sweep", "catalog"];

/** One set of ajv options for the validators compiled at build time and at run time. */
export const AJV_OPTIONS = { allErrors: true, strict: false, allowUnionTypes: true } as const;

/** Where the build writes each schema's validator, compiled ahead of time (ajv standalone code). */
export const precompiledValidatorFile = (name: SchemaName) => join(PROJECT_ROOT, "dist", "validators", `${name}.cjs`);

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const require = createRequire(import.meta.url);
const compiled = new Map<SchemaName, { schema: object; validate: ValidateFunction; precompiled: boolean }>();

/**
 * The validator of a committed JSON Schema file (schemas/, generated from the TypeBox source at build time, kept in
 * sync by a test). The build compiles each schema to code ahead of time, so a run loads that code instead of
 * compiling (ajv's import and compile were ~150 ms of every start-up), from V8's code cache the build stored beside
 * it (code-cache.ts); a precompiled validator is used only if it was built from the same schema bytes, otherwise the
 * schema is compiled here.
 */
function compile(name: SchemaName): { schema: object; validate: ValidateFunction; precompiled: boolean } {
  let c = compiled.get(name);
  if (!c) {
    const text = readFileSync(join(SCHEMA_DIR, `${name}.schema.json`), "utf8");
    const schema = JSON.parse(text) as object;
    const file = precompiledValidatorFile(name);
    let validate: ValidateFunction | undefined;
    if (existsSync(file)) {
      const pre = requireCached(file) as { validate: ValidateFunction; schemaSha256: string };
      if (pre.schemaSha256 === sha256(text)) validate = pre.validate;
    }
    c = { schema, validate: validate ?? compileAtRunTime(schema), precompiled: validate !== undefined };
    compiled.set(name, c);
  }
  return c;
}

/** Compiles a schema at run time (no matching precompiled validator): ajv loaded only now, no code optimisation. */
export function compileAtRunTime(schema: object): ValidateFunction {
  const { Ajv2020: Ajv } = require("ajv/dist/2020.js") as { Ajv2020: typeof Ajv2020 };
  return new Ajv({ ...AJV_OPTIONS, code: { optimize: false } }).compile(schema);
}

/** Whether `name` is validated by code compiled at build time (false: compiled at run time). */
export function usesPrecompiledValidator(name: SchemaName): boolean {
  return compile(name).precompiled;
}

export function displayPath(path: readonly PathSegment[]): string {
  if (!path.length) return "(top level)";
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

function expected(err: ErrorObject, root: object, value: unknown): string {
  const p = err.params as Record<string, unknown>;
  const parent = resolveSchema(root, err.schemaPath);
  switch (err.keyword) {
    case "additionalProperties": {
      const props = Object.keys((parent?.properties as object) ?? {}).filter((k) => k !== "$schema");
      const key = String(p.additionalProperty);
      if (key === "<<") return "a YAML merge key, which is not read (expected the keys written out)";
      return `unknown key '${key}'${didYouMean(key, props)} (expected one of: ${props.join(", ")})`;
    }
    case "required": {
      const prop = (parent?.properties as Record<string, { description?: string }> | undefined)?.[
        String(p.missingProperty)
      ];
      return (
        `missing required key '${String(p.missingProperty)}' (expected ` +
        `${prop?.description ?? "this key to be present"})`
      );
    }
    case "enum": {
      const allowed = p.allowedValues as unknown[];
      const near = typeof value === "string" ? didYouMean(value, allowed.map(String)) : "";
      return `${err.message}${near} (expected one of: ${allowed.map((v) => JSON.stringify(v)).join(", ")})`;
    }
    case "const":
      return `${err.message} (expected ${JSON.stringify(p.allowedValue)})`;
    case "type": {
      // ajv lists a schema's several types with commas: "number,string,array"
      const t = String(p.type).split(",");
      const listed = t.length > 1 ? `${t.slice(0, -1).join(", ")} or ${t.at(-1)}` : t.join("");
      const what = typeof parent?.description === "string" ? `: ${parent.description}` : "";
      return `wrong type (expected ${listed}${what})`;
    }
    case "pattern":
      return (
        `${(err.message ?? "does not match").replace(/"/g, "'")} (expected ` +
        `${String(parent?.description ?? "a matching string")})`
      );
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const op = { minimum: ">=", maximum: "<=", exclusiveMinimum: ">", exclusiveMaximum: "<" }[err.keyword];
      const kind = parent?.type === "integer" ? "an integer" : "a number";
      if (Number.isNaN(value)) return `not a number (.nan; expected ${kind})`;
      return `${err.message} (expected ${kind} ${op} ${String(p.limit)}, got ${shown(value)})`;
    }
    case "minItems":
    case "maxItems": {
      const n = Number(p.limit);
      const what = typeof parent?.description === "string" ? `: ${parent.description}` : "";
      if (err.keyword === "minItems") {
        const empty = Array.isArray(value) && value.length === 0;
        return `${empty ? "empty list" : "too few items"} (expected at least ${n} item${n === 1 ? "" : "s"}${what})`;
      }
      return `too many items (expected at most ${n}${what})`;
    }
    case "minProperties": {
      const n = Number(p.limit);
      const what = typeof parent?.description === "string" ? `: ${parent.description}` : "";
      const empty = typeof value === "object" && value !== null && Object.keys(value).length === 0;
      return `${empty ? "empty" : "too few fields"} (expected at least ${n} field${n === 1 ? "" : "s"}${what})`;
    }
    default: {
      const desc = parent && typeof parent.description === "string" ? `: ${parent.description}` : "";
      return `${err.message ?? err.keyword} (expected a value that satisfies '${err.keyword}'${desc})`;
    }
  }
}

const LIMITS = new Set(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]);

/** Validates `parsed.data` against a schema; returns every problem as a positioned message. */
export function validateAgainst(name: SchemaName, parsed: ParsedFile): string[] {
  const { schema, validate } = compile(name);
  if (validate(parsed.data)) return [];
  // an if/then's own "must match then schema" adds nothing to the errors inside its then
  const errors = pruneUnionNoise(
    (validate.errors ?? []).filter((e) => e.keyword !== "if"),
    schema,
    parsed.data,
  );
  // a value of the wrong type also fails its const or enum: the type error says it
  const typeWrong = new Set(errors.filter((e) => e.keyword === "type").map((e) => e.instancePath));
  // a .nan fails every bound it has: its first bound's message says it once
  const nanSeen = new Set<string>();
  const firstOfNan = (e: ErrorObject): boolean => {
    if (!LIMITS.has(e.keyword) || !Number.isNaN(valueAt(parsed.data, pointerToPath(e.instancePath)))) return true;
    if (nanSeen.has(e.instancePath)) return false;
    nanSeen.add(e.instancePath);
    return true;
  };
  const kept = errors.filter(
    (e) => !((e.keyword === "const" || e.keyword === "enum") && typeWrong.has(e.instancePath)) && firstOfNan(e),
  );
  const seen = new Set<string>();
  const out: string[] = [];
  // a value checked by two schemas (an override's `set`: the record and its kind's fields) may be the wrong type for
  // both: one message per value, the one that says more
  const typeAt = new Map<string, number>();
  for (const err of kept) {
    const path = pointerToPath(err.instancePath);
    const key =
      err.keyword === "additionalProperties"
        ? String((err.params as { additionalProperty: string }).additionalProperty)
        : undefined;
    const shownPath = key ? [...path, key] : path;
    const phrase = expected(err, schema, valueAt(parsed.data, path));
    let msg = `${parsed.where(path, key)}: ${displayPath(shownPath)}: ${phrase}`;
    if (err.keyword === "uniqueItems") {
      // ajv names the later item i and the earlier item j: name both, with their positions
      const { i, j } = err.params as { i: number; j: number };
      const [later, earlier] = [Math.max(i, j), Math.min(i, j)];
      msg =
        `${parsed.where([...path, later])}: ${displayPath([...path, later])}: duplicate value ` +
        `${JSON.stringify(valueAt(parsed.data, [...path, later]))}, the same as ${displayPath([...path, earlier])} ` +
        `at ${parsed.where([...path, earlier])} (expected each value once)`;
    }
    if (err.keyword === "anyOf")
      msg =
        `${parsed.where(path)}: ${displayPath(path)}: does not match any allowed form (expected ` +
        `${describeUnion(resolveSchema(schema, err.schemaPath))})`;
    if (seen.has(msg)) continue;
    seen.add(msg);
    const earlier = err.keyword === "type" ? typeAt.get(err.instancePath) : undefined;
    if (earlier === undefined) {
      if (err.keyword === "type") typeAt.set(err.instancePath, out.length);
      out.push(msg);
    } else if (msg.length > out[earlier]!.length) out[earlier] = msg;
  }
  return out;
}

/** A value as the user wrote it: JSON, but YAML's .inf and .nan as such (JSON would print null). */
function shown(value: unknown): string {
  return typeof value === "number" && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
}

function describeUnion(s: Record<string, unknown> | undefined): string {
  const d = s?.description;
  return typeof d === "string" ? d : "one of the documented forms";
}
