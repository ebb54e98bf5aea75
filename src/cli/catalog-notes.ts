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
        `-> ${withUnit(o.field, o.to)} (${o.sources.join("; ")}; at ${o.at})`,
    ),
  ];
}

/**
 * "warning: FILE:LINE:COL: kind 'id'.field: ..." for every implausible figure: the catalog's, then those of the parts
 * the spec `parsed` composes (its own figures and what-if parts).
 */
export function warningLines(cat: Catalog, parsed?: ParsedFile): string[] {
  return [...catalogWarnings(cat), ...(parsed ? composeWarnings(parsed, cat) : [])].map((w) => `warning: ${w}`);
}
