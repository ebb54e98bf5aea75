// ajv validation with messages a person can act on: file:line:col: path: message (expected ...).
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SCHEMA_DIR } from "../paths.ts";
import type { ParsedFile, PathSegment } from "./read.ts";

// No code optimisation: compiling is the slow part at start-up (measured 141 -> ~70 ms); validating is not.
const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true, code: { optimize: false } });
const compiled = new Map<SchemaName, { schema: object; validate: ValidateFunction }>();

export type SchemaName = "sweep" | "catalog";

/**
 * The committed JSON Schema files (schemas/, generated from the TypeBox source at build time, kept in sync by a test),
 * compiled once. Reading them, not the TypeBox objects, keeps TypeBox's 1,400 modules out of every run's start-up.
 */
function compile(name: SchemaName): { schema: object; validate: ValidateFunction } {
  let c = compiled.get(name);
  if (!c) {
    const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, `${name}.schema.json`), "utf8")) as object;
    c = { schema, validate: ajv.compile(schema) };
    compiled.set(name, c);
  }
  return c;
}

function pointerToPath(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
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
    if (node && typeof node === "object") node = (node as Record<string, unknown>)[p.replace(/~1/g, "/").replace(/~0/g, "~")];
    else return undefined;
  }
  return node as Record<string, unknown> | undefined;
}

function expected(err: ErrorObject, root: object): string {
  const p = err.params as Record<string, unknown>;
  const parent = resolveSchema(root, err.schemaPath);
  switch (err.keyword) {
    case "additionalProperties": {
      const props = Object.keys((parent?.properties as object) ?? {}).filter((k) => k !== "$schema");
      return `unknown key '${String(p.additionalProperty)}' (expected one of: ${props.join(", ")})`;
    }
    case "required": {
      const prop = (parent?.properties as Record<string, { description?: string }> | undefined)?.[String(p.missingProperty)];
      return `missing required key '${String(p.missingProperty)}' (expected ${prop?.description ?? "this key to be present"})`;
    }
    case "enum":
      return `${err.message} (expected one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")})`;
    case "const":
      return `${err.message} (expected ${JSON.stringify(p.allowedValue)})`;
    case "type":
      return `wrong type (expected ${String(p.type)})`;
    case "pattern":
      return `${(err.message ?? "does not match").replace(/"/g, "'")} (expected ${String(parent?.description ?? "a matching string")})`;
    default: {
      const desc = parent && typeof parent.description === "string" ? `: ${parent.description}` : "";
      return `${err.message ?? err.keyword} (expected a value that satisfies '${err.keyword}'${desc})`;
    }
  }
}

/**
 * Reduces the errors of each union (anyOf) to the branch the user meant: the branch that fails least at the
 * value itself (a wrong type or missing keys there mean a wrong branch), then the one with fewest errors. When
 * every branch fails only on its type, one error names all the accepted types.
 */
function pruneUnionNoise(errors: ErrorObject[]): ErrorObject[] {
  let out = errors;
  const unions = errors.filter((e) => e.keyword === "anyOf").sort((a, b) => a.instancePath.length - b.instancePath.length);
  for (const u of unions) {
    if (!out.includes(u)) continue;
    const prefix = u.schemaPath + "/";
    const inside = out.filter((e) => e.schemaPath.startsWith(prefix) && (e.instancePath === u.instancePath || e.instancePath.startsWith(u.instancePath + "/")));
    const branches = new Map<string, ErrorObject[]>();
    for (const e of inside) {
      const b = e.schemaPath.slice(prefix.length).split("/")[0]!;
      branches.set(b, [...(branches.get(b) ?? []), e]);
    }
    if (branches.size === 0) continue;
    const all = [...branches.values()];
    const typeOnly = all.every((errs) => errs.length === 1 && errs[0]!.keyword === "type" && errs[0]!.instancePath === u.instancePath);
    let keep: ErrorObject[];
    if (typeOnly) {
      const types = all.map((errs) => String((errs[0]!.params as { type: string }).type));
      keep = [{ ...all[0]![0]!, params: { type: types.join(" or ") } }];
    } else {
      const shallow = (errs: ErrorObject[]) => errs.filter((e) => e.instancePath === u.instancePath && ["type", "required", "additionalProperties"].includes(e.keyword)).length;
      keep = all.sort((a, b) => shallow(a) - shallow(b) || a.length - b.length)[0]!;
    }
    out = out.filter((e) => e !== u && !inside.includes(e)).concat(keep);
  }
  return out;
}

/** Validates `parsed.data` against a schema; returns every problem as a positioned message. */
export function validateAgainst(name: SchemaName, parsed: ParsedFile): string[] {
  const { schema, validate } = compile(name);
  if (validate(parsed.data)) return [];
  const errors = pruneUnionNoise(validate.errors ?? []);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const err of errors) {
    const path = pointerToPath(err.instancePath);
    const key = err.keyword === "additionalProperties" ? String((err.params as { additionalProperty: string }).additionalProperty) : undefined;
    const shownPath = key ? [...path, key] : path;
    let msg = `${parsed.where(path, key)}: ${displayPath(shownPath)}: ${expected(err, schema)}`;
    if (err.keyword === "anyOf") msg = `${parsed.where(path)}: ${displayPath(path)}: does not match any allowed form (expected ${describeUnion(resolveSchema(schema, err.schemaPath + "/x"))})`;
    if (!seen.has(msg)) {
      seen.add(msg);
      out.push(msg);
    }
  }
  return out;
}

function describeUnion(s: Record<string, unknown> | undefined): string {
  const d = s?.description;
  return typeof d === "string" ? d : "one of the documented forms";
}
