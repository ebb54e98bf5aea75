// recsweep catalog [ID]: lists catalog entries by kind and id, or shows one entry's figures with units and sources.
import { loadCatalog, type Catalog } from "../catalog/load.ts";
import { unitOf } from "../catalog/figures.ts";
import { InputError } from "../input/errors.ts";
import { didYouMean } from "../input/suggest.ts";
import { CATALOG_KINDS, type CatalogKind } from "../schema/vocab.ts";
import { parse } from "./args.ts";

export const CATALOG_USAGE = `usage: recsweep catalog [ID] [--json] [--catalog DIR]

Without ID: lists the catalog's accelerators, cpus, links, nics, storage, systems, models and tco entries by id.
With ID: shows that entry's figures with their units and meaning, how derived figures were computed, the
overrides a --catalog file applied, and its sources. Exit code 2 for an unknown id (with the nearest ids).
  --json          machine-readable: {"<kind>": ["<id>", ...], ...}, or with ID {"<kind>": {entry}, ...}
  --catalog DIR   include a user catalog folder (its entries and overrides)`;

type EntrySchemas = Record<CatalogKind, { properties: Record<string, { description?: string }> }>;
/** The catalog's entry schemas (TypeBox), loaded by this command only: every other command starts without them. */
async function loadEntrySchemas(): Promise<EntrySchemas> {
  return (await import("../schema/catalog-file.ts")).ENTRY_SCHEMAS as unknown as EntrySchemas;
}
const PROVENANCE = new Set(["id", "name", "sources", "derived", "notes"]);

export async function catalogCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { json: { type: "boolean" }, catalog: { type: "string" } },
    CATALOG_USAGE,
  );
  if (values.help) {
    console.log(CATALOG_USAGE);
    return 0;
  }
  if (positionals.length > 1)
    throw new InputError(`catalog: expected at most one id, got ${positionals.length}\n\n${CATALOG_USAGE}`);
  const cat = loadCatalog(values.catalog);
  if (positionals.length === 1) return showEntry(cat, positionals[0]!, !!values.json, await loadEntrySchemas());
  const listing = Object.fromEntries(CATALOG_KINDS.map((k) => [k, [...cat[k].keys()].sort()]));
  if (values.json) {
    console.log(JSON.stringify(listing, null, 2));
    return 0;
  }
  for (const k of CATALOG_KINDS) {
    console.log(`${k} (${listing[k]!.length}):`);
    for (const id of listing[k]!) {
      const e = cat[k].get(id) as { name?: string };
      console.log(`  ${id}${e.name ? `  ${e.name}` : ""}`);
    }
  }
  return 0;
}

/** Prints every entry with this id (an id is unique within a kind; kinds may share one). */
function showEntry(cat: Catalog, id: string, json: boolean, schemas: EntrySchemas): number {
  const kinds = CATALOG_KINDS.filter((k) => cat[k].has(id));
  if (!kinds.length) {
    const all = CATALOG_KINDS.flatMap((k) => [...cat[k].keys()]);
    throw new InputError(
      `catalog: unknown id '${id}'${didYouMean(id, all)} (expected a catalog id; \`recsweep catalog\` lists them)`,
    );
  }
  if (json) {
    console.log(JSON.stringify(Object.fromEntries(kinds.map((k) => [k, cat[k].get(id)])), null, 2));
    return 0;
  }
  kinds.forEach((kind, i) => {
    if (i > 0) console.log("");
    for (const line of entryLines(cat, kind, id, schemas)) console.log(line);
  });
  return 0;
}

/** An entry as text: a heading, one line per figure (value, unit, meaning, derivation, override), its sources. */
export function entryLines(cat: Catalog, kind: CatalogKind, id: string, schemas: EntrySchemas): string[] {
  const e = cat[kind].get(id) as Record<string, unknown>;
  const derived = (e.derived as Record<string, string> | undefined) ?? {};
  const fields = Object.keys(e).filter((f) => !PROVENANCE.has(f));
  const width = Math.max(...fields.map((f) => f.length));
  const lines = [`${kind} ${id}${e.name ? `: ${String(e.name)}` : ""}`];
  const at = cat.originOf?.(kind, id);
  if (at) lines.push(`  defined at ${at}`);
  for (const f of fields) {
    const unit = unitOf(f);
    const value = shown(e[f]);
    const meaning = schemas[kind].properties[f]?.description;
    lines.push(`  ${f.padEnd(width)}  ${unit ? `${value} ${unit}` : value}${meaning ? `  (${meaning})` : ""}`);
    if (derived[f]) lines.push(`  ${" ".repeat(width)}  derived: ${derived[f]}`);
    for (const o of cat.overrides.filter((x) => x.kind === kind && x.id === id && x.field === f))
      lines.push(`  ${" ".repeat(width)}  override (was ${shown(o.from)}): ${o.sources.join("; ")}, at ${o.at}`);
  }
  lines.push("  sources:");
  for (const s of (e.sources as Array<{ ref: string; supports: string }>) ?? [])
    lines.push(`    - ${s.ref} (supports: ${s.supports})`);
  if (typeof e.notes === "string") lines.push(`  notes: ${e.notes}`);
  return lines;
}

/** A figure for a line of text: numbers and strings as they are, lists and mappings as JSON cut at 100 characters. */
function shown(v: unknown): string {
  if (v === null || v === undefined) return "(none)";
  if (typeof v !== "object") return String(v);
  const j = JSON.stringify(v);
  return j.length > 100 ? `${j.slice(0, 97)}...` : j;
}
