// What check and run say about the catalog beyond errors: the figures a --catalog file overrides, and figures out
// of any real part's range (warnings, src/catalog/plausible.ts).
import type { Catalog } from "../catalog/load.ts";
import { withUnit } from "../catalog/figures.ts";
import { catalogWarnings } from "../catalog/plausible.ts";

/** "catalog override: accelerators 'h100-sxm5-80gb'.price_usd 25000 USD -> 21000 USD (source)", one per figure. */
export function overrideLines(cat: Catalog): string[] {
  return cat.overrides.map(
    (o) =>
      `catalog override: ${o.kind} '${o.id}'.${o.field} ${o.from === null ? "(none)" : withUnit(o.field, o.from)} -> ` +
      `${withUnit(o.field, o.to)} (${o.sources.join("; ")}; at ${o.at})`,
  );
}

/** "warning: FILE:LINE:COL: kind 'id'.field: ..." for every implausible figure. */
export function warningLines(cat: Catalog): string[] {
  return catalogWarnings(cat).map((w) => `warning: ${w}`);
}
