// Overrides of single figures of existing catalog entries (`overrides:` in a catalog file, e.g. a negotiated price
// of a built-in part): applied after every entry has loaded, recorded for the manifest.
import type { ParsedFile } from "../input/read.ts";
import { didYouMean } from "../input/suggest.ts";
import type { Override } from "../schema/catalog-file.ts";
import { CATALOG_KINDS, type CatalogKind } from "../schema/vocab.ts";
import { tableSizeProblems } from "./table-size.ts";

/** One figure replaced: what it was, what it is now, and where the override and its source are. */
export interface AppliedOverride {
  kind: CatalogKind;
  id: string;
  field: string;
  /** the value before the override (null: the entry had none) */
  from: unknown;
  to: unknown;
  /** "file:line:col" of the override's set.field */
  at: string;
  /** the override's sources, "ref (supports)" */
  sources: string[];
}

export interface PendingOverride {
  parsed: ParsedFile;
  index: number;
  override: Override;
}

type Entries = Record<CatalogKind, Map<string, unknown>>;

/**
 * Applies every override in file order to the entries (replacing each overridden entry by a copy), and returns the
 * figures it replaced and the problems: an unknown kind-id (with "did you mean" among that kind's ids, or the kind
 * that does hold it), the same figure overridden twice, a table group left with both rows and size_gb or neither.
 * A field an override sets that its kind lacks is refused earlier by the catalog schema.
 */
export function applyOverrides(
  entries: Entries,
  pending: readonly PendingOverride[],
): { applied: AppliedOverride[]; problems: string[] } {
  const applied: AppliedOverride[] = [];
  const problems: string[] = [];
  const first = new Map<string, string>();
  for (const { parsed, index, override: o } of pending) {
    const map = entries[o.kind];
    const at = (field?: string) => parsed.where(["overrides", index, ...(field ? ["set"] : ["id"])], field);
    const entry = map.get(o.id) as Record<string, unknown> | undefined;
    if (!entry) {
      const elsewhere = CATALOG_KINDS.filter((k) => k !== o.kind && entries[k].has(o.id));
      const hint = elsewhere.length
        ? `, but ${elsewhere.join(" and ")} has one (expected kind: ${elsewhere[0]})`
        : `${didYouMean(o.id, map.keys())} (expected an id of the catalog's ${o.kind}: ` +
          `${[...map.keys()].sort().join(", ")})`;
      problems.push(`${at()}: overrides[${index}].id: no ${o.kind} entry '${o.id}'${hint}`);
      continue;
    }
    const next: Record<string, unknown> = { ...entry };
    const derived = { ...((entry.derived as Record<string, string> | undefined) ?? {}) };
    for (const [field, value] of Object.entries(o.set)) {
      const key = `${o.kind}:${o.id}:${field}`;
      const prior = first.get(key);
      if (prior) {
        problems.push(
          `${at(field)}: overrides[${index}].set.${field}: ${o.kind} '${o.id}'.${field} is already overridden at ` +
            `${prior} (expected each figure overridden once)`,
        );
        continue;
      }
      first.set(key, at(field));
      applied.push({
        kind: o.kind,
        id: o.id,
        field,
        from: entry[field] ?? null,
        to: value,
        at: at(field),
        sources: o.sources.map((s) => `${s.ref} (${s.supports})`),
      });
      next[field] = value;
      // a derivation note of the old figure no longer describes the new one
      delete derived[field];
    }
    next.derived = derived;
    if (Object.keys(derived).length === 0) delete next.derived;
    next.sources = [...(entry.sources as unknown[]), ...o.sources];
    if (o.kind === "models" && "tables" in o.set)
      problems.push(...tableSizeProblems(parsed, ["overrides", index, "set", "tables"]));
    map.set(o.id, next);
  }
  return { applied, problems };
}
