// Plausibility warnings for parts a spec composes inline (catalog/plausible.ts covers catalog entries): a compose's
// own figures (host memory, power limit) and the figures of what-if parts (`derive:`). A what-if beyond every real
// part is said to be one, since it may be deliberate; a figure set outright is the likelier wrong unit.
import type { Catalog } from "../catalog/load.ts";
import { withUnit } from "../catalog/figures.ts";
import { type Entries, figureVerdict, idleVerdict } from "../catalog/plausible.ts";
import type { ParsedFile, PathSegment } from "../input/read.ts";
import { sortByPosition } from "../input/errors.ts";
import type { CatalogKind } from "../schema/vocab.ts";
import { type AxisSpec, expandAxis } from "./axes.ts";
import { PART_FIELDS } from "./compose.ts";
import { type DeriveSpec, expandDerive, isDerive } from "./derive.ts";

/** Compose fields that are a node's own figures, checked as a catalog system's. */
const NODE_FIGURES = ["host_memory_gb", "max_power_w"] as const;

type Raw = Record<string, unknown>;
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/**
 * "FILE:LINE:COL: ..." warnings for the implausible figures of every compose in the spec `parsed` (already
 * validated against `cat`), sorted by position, each once.
 */
export function composeWarnings(parsed: ParsedFile, cat: Catalog): string[] {
  const builtIn = (cat.builtIn ?? cat) as Entries;
  const out = new Set<string>();
  const systems = (parsed.data as { systems?: unknown[] }).systems ?? [];
  systems.forEach((s, i) => {
    if (!s || typeof s !== "object" || !("compose" in s)) return;
    const id = (s as { id?: string }).id ?? `systems[${i}]`;
    const compose = (s as { compose: Raw }).compose;
    const at = (...path: PathSegment[]) => parsed.where(["systems", i, "compose", ...path]);
    for (const field of NODE_FIGURES) {
      const v = compose[field];
      if (v === undefined) continue;
      for (const value of expandAxis(v as AxisSpec, false)) {
        const verdict = figureVerdict("systems", field, value, builtIn);
        if (verdict)
          out.add(`${at(field)}: compose '${id}'.${field}: ${verdict} (a warning: check the figure and its unit)`);
      }
    }
    for (const [field, kind] of Object.entries(PART_FIELDS)) {
      const v = compose[field];
      if (v === undefined) continue;
      listOf(v).forEach((item, j) => {
        if (!isDerive(item)) return;
        const base = (cat[kind] as Map<string, Raw>).get(item.derive.from);
        if (!base) return;
        const path: PathSegment[] = Array.isArray(v) ? [field, j, "derive"] : [field, "derive"];
        for (const w of whatIfWarnings(item, base, kind, builtIn)) out.add(`${at(...path, w.field)}: ${w.text}`);
      });
    }
  });
  return sortByPosition([...out]);
}

/** The implausible figures of a derive's variants: the figures it changes, and idle power against peak power. */
function whatIfWarnings(d: DeriveSpec, base: Raw, kind: CatalogKind, builtIn: Entries) {
  const out: Array<{ field: string; text: string }> = [];
  for (const v of expandDerive(d, base)) {
    if (!v.derived) continue;
    const tell = (field: string, verdict: string) => {
      const given = d.derive[field as keyof typeof d.derive];
      const how = listOf(given).includes(v.part[field])
        ? "a value set outright may also be in the wrong unit"
        : "check the factor if this was not meant";
      const was = typeof base[field] === "number" ? withUnit(field, base[field] as number) : "no figure";
      out.push({
        field: given === undefined ? "from" : field,
        text:
          `what-if ${kind} '${v.id}'.${field}: ${verdict} (a warning: a what-if outside every real part, ` +
          `derived from '${d.derive.from}' (${was}); the model extrapolates there; ${how})`,
      });
    };
    for (const [field, value] of Object.entries(v.part)) {
      if (typeof value !== "number" || value === base[field]) continue;
      const verdict = figureVerdict(kind, field, value, builtIn);
      if (verdict) tell(field, verdict);
    }
    const idle = idleVerdict(kind, v.part, builtIn);
    if (idle && !idleVerdict(kind, base, builtIn)) tell(idle.field, idle.text);
  }
  return out;
}
