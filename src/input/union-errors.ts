// Reading ajv's errors: schema and instance paths, and each union (anyOf) reduced to the branch the user meant, so a
// message names the field at fault rather than every branch's complaints (validate.ts turns them into messages).
import type { ErrorObject } from "ajv/dist/2020.js";
import type { PathSegment } from "./read.ts";

/** An ajv instance path ("/systems/0/compose") as path segments (["systems", 0, "compose"]). */
export function pointerToPath(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** The schema holding the keyword at `schemaPath` (ajv's "#/properties/x/anyOf" -> the schema with that anyOf). */
export function resolveSchema(root: object, schemaPath: string): Record<string, unknown> | undefined {
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
export function pruneUnionNoise(errors: ErrorObject[], root: object, data: unknown): ErrorObject[] {
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

/** The value at `path` in `data` (undefined where the path leaves it). */
export function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let v = data;
  for (const k of path) v = v && typeof v === "object" ? (v as Record<string | number, unknown>)[k] : undefined;
  return v;
}
