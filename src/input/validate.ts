// ajv validation with messages a person can act on: file:line:col: path: message (expected ...).
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import type { ParsedFile, PathSegment } from "./read.ts";

const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
const compiled = new WeakMap<object, ValidateFunction>();

function compile(schema: object): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  return v;
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
    case "required":
      return `missing required key '${String(p.missingProperty)}'`;
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

/** Drops the noise of union branches that do not match the value's type, keeping the branch the user meant. */
function pruneUnionNoise(errors: ErrorObject[]): ErrorObject[] {
  const unionPaths = new Set(errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf").map((e) => e.instancePath));
  // Something more specific was said about the value at `path`: an error inside it, or a non-type error on it.
  const moreSpecific = (e: ErrorObject) => errors.some((o) => o !== e && (
    o.instancePath.startsWith(e.instancePath + "/") ||
    (o.instancePath === e.instancePath && o.keyword !== "type" && o.keyword !== "anyOf" && o.keyword !== "oneOf")));
  return errors.filter((e) => {
    if (e.keyword === "anyOf" || e.keyword === "oneOf") return !moreSpecific(e);
    if (e.keyword === "type" && unionPaths.has(e.instancePath)) return !moreSpecific(e);
    return true;
  });
}

/** Validates `parsed.data` against `schema`; returns every problem as a positioned message. */
export function validateAgainst(schema: object, parsed: ParsedFile): string[] {
  const validate = compile(schema);
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
