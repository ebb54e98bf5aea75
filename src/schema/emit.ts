// Writes the JSON Schemas (2020-12) of specs and catalog files, from their TypeBox source, for editors. Catalog id
// fields get the built-in catalog's ids as an enum (with the id pattern as a fallback for --catalog ids), and
// fields whose default is a built-in TCO figure get it as `default`: both read from hardware/*.json at build time.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HARDWARE_DIR } from "../paths.ts";
import { CatalogFile } from "./catalog-file.ts";
import { CATALOG_ID_KEYWORD, TCO_DEFAULT_KEYWORD } from "./common.ts";
import { SweepSpec } from "./spec.ts";

export interface BuiltIn {
  /** kind ("systems", ..., "cloud_providers") -> ids, sorted */
  ids: Record<string, string[]>;
  /** the default TCO entry's figures */
  tco: Record<string, unknown>;
}

/** The built-in catalog's ids by kind and its default TCO entry, read from hardware/*.json (no validation: the
 *  catalog's own tests validate it). */
export function builtInCatalog(dir = HARDWARE_DIR): BuiltIn {
  const ids: Record<string, string[]> = {};
  let tco: Record<string, unknown> = {};
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith(".json"))
    .sort()) {
    const data = JSON.parse(readFileSync(join(dir, name), "utf8")) as Record<string, unknown>;
    for (const [kind, items] of Object.entries(data)) {
      if (!Array.isArray(items)) continue;
      for (const item of items as Array<{ id?: unknown; cloud_providers?: Array<{ id: string }> }>) {
        if (typeof item?.id === "string") (ids[kind] ??= []).push(item.id);
        if (kind === "tco") {
          for (const p of item.cloud_providers ?? []) (ids.cloud_providers ??= []).push(p.id);
          if (item.id === "default-tco" || !Object.keys(tco).length) tco = item as Record<string, unknown>;
        }
      }
    }
  }
  for (const list of Object.values(ids)) list.sort();
  return { ids, tco };
}

/** The schema as JSON with the build-time keywords resolved against `builtIn` (see CATALOG_ID_KEYWORD). */
export function resolveKeywords(schema: unknown, builtIn: BuiltIn): unknown {
  if (Array.isArray(schema)) return schema.map((s) => resolveKeywords(s, builtIn));
  if (!schema || typeof schema !== "object") return schema;
  const { [CATALOG_ID_KEYWORD]: kind, [TCO_DEFAULT_KEYWORD]: tcoField, ...rest } = schema as Record<string, unknown>;
  const out: Record<string, unknown> = Object.fromEntries(
    Object.entries(rest).map(([k, v]) => [k, resolveKeywords(v, builtIn)]),
  );
  if (typeof tcoField === "string" && builtIn.tco[tcoField] !== undefined) out.default = builtIn.tco[tcoField];
  if (typeof kind === "string" && builtIn.ids[kind]?.length) {
    const { description, default: dflt, ...idSchema } = out;
    return {
      ...(description !== undefined ? { description } : {}),
      ...(dflt !== undefined ? { default: dflt } : {}),
      anyOf: [
        { enum: builtIn.ids[kind], description: `a built-in ${kind} id` },
        { ...idSchema, description: `an id of ${kind} from a --catalog folder` },
      ],
    };
  }
  return out;
}

export function schemaJson(schema: object, builtIn: BuiltIn = builtInCatalog()): string {
  const resolved = resolveKeywords(JSON.parse(JSON.stringify(schema)), builtIn) as object;
  return `${JSON.stringify({ $schema: "https://json-schema.org/draft/2020-12/schema", ...resolved }, null, 2)}\n`;
}

export function emitSchemas(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const builtIn = builtInCatalog();
  writeFileSync(join(dir, "sweep.schema.json"), schemaJson(SweepSpec, builtIn));
  writeFileSync(join(dir, "catalog.schema.json"), schemaJson(CatalogFile, builtIn));
}
