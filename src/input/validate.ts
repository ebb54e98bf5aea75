// ajv validation with messages a person can act on: file:line:col: path: message (expected ...).
import type { Ajv2020, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
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

function pointerToPath(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function displayPath(path: readonly PathSegment[]): string {
  if (!path.length) return "(top level)";
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

function resolveSchema(root: object, schemaPath: string): Record<string, unknown> | undefined {
  // schemaPath like "#/properties/systems/items/anyOf/1/properties/compose" -> the parent schema of the keyword
  let node: unknown = root;
  const parts = schemaPath.replace(/^#\/?/, "").split("/").slice(0, -1);
  for (const p of parts) {
    if (node && typeof node === "object")
      node = (node as Record<string, unknown>)[p.replace(/~1/g, "/").replace(/~0/g, "~")];
    else return undefined;
  }
  return node as Record<string, unknown> | undefined;
}

function expected(err: ErrorObject, root: object, value: unknown): string {
  const p = err.params as Record<string, unknown>;
  const parent = resolveSchema(root, err.schemaPath);
  switch (err.keyword) {
    case "additionalProperties": {
      const props = Object.keys((parent?.properties as object) ?? {}).filter((k) => k !== "$schema");
      const key = String(p.additionalProperty);
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
    default: {
      const desc = parent && typeof parent.description === "string" ? `: ${parent.description}` : "";
      return `${err.message ?? err.keyword} (expected a value that satisfies '${err.keyword}'${desc})`;
    }
  }
}

/** The JSON types a schema accepts, from its `type`, `enum`, `const` and unions; null: any type. */
function acceptedTypes(s: Record<string, unknown> | undefined): Set<string> | null {
  if (!s) return null;
  if (typeof s.type === "string") return new Set([s.type]);
  if (Array.isArray(s.type)) return new Set(s.type as string[]);
  if (Array.isArray(s.enum)) return new Set((s.enum as unknown[]).map(jsonType));
  if ("const" in s) return new Set([jsonType(s.const)]);
  const branches = (s.anyOf ?? s.oneOf) as Array<Record<string, unknown>> | undefined;
  if (!branches) return null;
  const out = new Set<string>();
  for (const b of branches) {
    const t = acceptedTypes(b);
    if (t === null) return null;
    for (const x of t) out.add(x);
  }
  return out;
}

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** Whether a schema's accepted types admit the value's JSON type (an integer is also a number). */
function admitsType(s: Record<string, unknown> | undefined, value: unknown): boolean {
  const types = acceptedTypes(s);
  if (types === null) return true;
  const t = jsonType(value);
  return types.has(t) || (t === "integer" && types.has("number"));
}

/**
 * Reduces the errors of each union (anyOf) to the branch the user meant: a branch whose type admits the value (an
 * object given where an id or a composed node may stand is a composed node, whatever its errors), then the branch
 * that fails least at the value itself (a wrong type or missing keys there mean a wrong branch), then the one with
 * fewest errors. Unions are taken outermost first. When every branch fails only on its type, one error names all
 * the accepted types.
 */
function pruneUnionNoise(errors: ErrorObject[], root: object, data: unknown): ErrorObject[] {
  let out = errors;
  const unions = errors
    .filter((e) => e.keyword === "anyOf")
    .sort((a, b) => a.instancePath.length - b.instancePath.length || a.schemaPath.length - b.schemaPath.length);
  for (const u of unions) {
    if (!out.includes(u)) continue;
    const prefix = `${u.schemaPath}/`;
    const inside = out.filter(
      (e) =>
        e.schemaPath.startsWith(prefix) &&
        (e.instancePath === u.instancePath || e.instancePath.startsWith(`${u.instancePath}/`)),
    );
    const branches = new Map<string, ErrorObject[]>();
    for (const e of inside) {
      const b = e.schemaPath.slice(prefix.length).split("/")[0]!;
      branches.set(b, [...(branches.get(b) ?? []), e]);
    }
    if (branches.size === 0) continue;
    const all = [...branches.values()];
    const typeOnly = all.every(
      (errs) => errs.length === 1 && errs[0]!.keyword === "type" && errs[0]!.instancePath === u.instancePath,
    );
    let keep: ErrorObject[];
    const union = resolveSchema(root, u.schemaPath); // the schema holding the anyOf
    // one type error for the whole union, at the union's schema (its description says what the field is)
    const typeError = (types: string[]): ErrorObject => ({
      ...u,
      keyword: "type",
      schemaPath: u.schemaPath.replace(/\/anyOf$/, "/type"),
      params: { type: [...new Set(types.flatMap((t) => t.split(",")))].join(",") },
    });
    if (typeOnly) {
      keep = [typeError(all.map((errs) => String((errs[0]!.params as { type: string }).type)))];
    } else {
      const shallow = (errs: ErrorObject[]) =>
        errs.filter(
          (e) => e.instancePath === u.instancePath && ["type", "required", "additionalProperties"].includes(e.keyword),
        ).length;
      const value = valueAt(data, pointerToPath(u.instancePath));
      const misfit = (b: string) => (admitsType(resolveSchema(root, `${u.schemaPath}/${b}/x`), value) ? 0 : 1);
      if (!admitsType(union, value)) {
        // no branch takes a value of this type: say which types the union takes, not one branch's complaints
        keep = [typeError([...(acceptedTypes(union) ?? [])])];
      } else
        keep = [...branches.entries()].sort(
          ([ba, a], [bb, b]) => misfit(ba) - misfit(bb) || shallow(a) - shallow(b) || a.length - b.length,
        )[0]![1];
    }
    out = out.filter((e) => e !== u && !inside.includes(e)).concat(keep);
  }
  return out;
}

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
  const seen = new Set<string>();
  const out: string[] = [];
  for (const err of errors) {
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
    if (!seen.has(msg)) {
      seen.add(msg);
      out.push(msg);
    }
  }
  return out;
}

/** A value as the user wrote it: JSON, but YAML's .inf and .nan as such (JSON would print null). */
function shown(value: unknown): string {
  return typeof value === "number" && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let v = data;
  for (const k of path) v = v && typeof v === "object" ? (v as Record<string | number, unknown>)[k] : undefined;
  return v;
}

function describeUnion(s: Record<string, unknown> | undefined): string {
  const d = s?.description;
  return typeof d === "string" ? d : "one of the documented forms";
}
