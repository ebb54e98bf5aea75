// What check and run say about the catalog beyond errors: the figures a --catalog file overrides, and figures out
// of any real part's range (warnings, src/catalog/plausible.ts), in the catalog or composed in the spec
// (src/spec/plausible-parts.ts).
import type { Catalog } from "../catalog/load.ts";
import { withUnit } from "../catalog/figures.ts";
import { catalogWarnings } from "../catalog/plausible.ts";
import type { ParsedFile } from "../input/read.ts";
import { composeWarnings } from "../spec/plausible-parts.ts";

/** "catalog override: accelerators 'a10-pcie-24gb' replaced whole by the entry at FILE:LINE:COL (...)" per
 * built-in entry a --catalog entry replaces, then
 * "catalog override: accelerators 'h100-sxm5-80gb'.price_usd 25000 USD -> 21000 USD (source)", one per figure. */
export function overrideLines(cat: Catalog): string[] {
  const replacedLines = (cat.replaced ?? []).map(
    (r) => `catalog override: ${r.kind} '${r.id}' replaced whole by the entry at ${r.at} (built-in at ${r.builtInAt})`,
  );
  return [
    ...replacedLines,
    ...cat.overrides.map(
      (o) =>
        `catalog override: ${o.kind} '${o.id}'.${o.field} ${o.from === null ? "(none)" : withUnit(o.field, o.from)} ` +
        `-> ${withUnit(o.field, o.to)} (${o.sources.join("; ")}; at ${o.at})` +
        ownPriceNote(cat, o.kind, o.id, o.field),
    ),
  ];
}

/** The system field that names a part of each kind. */
const PART_FIELD: Partial<Record<string, "accelerator" | "host_cpu" | "nic" | "ssd">> = {
  accelerators: "accelerator",
  cpus: "host_cpu",
  nics: "nic",
  storage: "ssd",
};

/**
 * "; not in the price of dgx-h100, which has its own price_usd": a part's price makes the price of a node composed
 * of it, but a catalog system with its own price keeps that (a whole server is priced as sold, docs/cost-model.md).
 */
function ownPriceNote(cat: Catalog, kind: string, id: string, field: string): string {
  const ref = PART_FIELD[kind];
  if (field !== "price_usd" || !ref) return "";
  const own = [...cat.systems.values()].filter((s) => s[ref] === id && s.price_usd !== undefined).map((s) => s.id);
  if (!own.length) return "";
  return `; not in the price of ${own.join(", ")}, which ${own.length > 1 ? "have their" : "has its"} own price_usd`;
}

/**
 * "warning: FILE:LINE:COL: kind 'id'.field: ..." for every implausible figure: the catalog's, then those of the parts
 * the spec `parsed` composes (its own figures and what-if parts).
 */
export function warningLines(cat: Catalog, parsed?: ParsedFile): string[] {
  return [...catalogWarnings(cat), ...(parsed ? composeWarnings(parsed, cat) : [])].map((w) => `warning: ${w}`);
}
