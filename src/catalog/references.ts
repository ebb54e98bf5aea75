// Cross-references of a loaded catalog: every part a system names, and every accelerator a link lists, exists.
import { HARDWARE_DIR } from "../paths.ts";
import { didYouMean } from "../input/suggest.ts";
import type { CatalogKind } from "../schema/vocab.ts";
import type { Link, System } from "../schema/catalog.ts";

/** What a reference check reads of a catalog (load.ts's CatalogEntries). */
export type ReferencedEntries = Omit<Record<CatalogKind, Map<string, unknown>>, "systems" | "links"> & {
  systems: Map<string, System>;
  links: Map<string, Link>;
};

/** Dangling ids of the catalog's systems and links, positioned at the field (or the override that set it). */
export function checkReferences(
  cat: ReferencedEntries,
  origin: Map<string, () => string>,
  fieldAt: (kind: CatalogKind, id: string, field: string) => string | undefined,
): string[] {
  const problems: string[] = [];
  for (const s of cat.systems.values()) {
    // positions are looked up only for a problem (they need the slow positioned parse of the file): the field's own,
    // or the override's that set it, else the entry's
    const at = (field: string) => fieldAt("systems", s.id, field) ?? origin.get(`systems:${s.id}`)?.() ?? "catalog";
    problems.push(...systemReferenceProblems(cat, s, (field) => `${at(field)}: systems '${s.id}'.${field}`));
  }
  for (const l of cat.links.values())
    for (const a of l.accelerators ?? [])
      if (!cat.accelerators.has(a))
        problems.push(
          `${fieldAt("links", l.id, "accelerators") ?? origin.get(`links:${l.id}`)?.() ?? "catalog"}: links ` +
            `'${l.id}'.accelerators: unknown accelerators id '${a}'${didYouMean(a, cat.accelerators.keys())} ` +
            "(expected accelerator ids of the catalog)",
        );
  if (cat.tco.size === 0) problems.push(`${HARDWARE_DIR}: no tco entry (expected hardware/tco.json)`);
  return problems;
}

type SystemLike = Pick<
  System,
  "accelerator" | "accelerators_per_node" | "fabric" | "host_link" | "host_cpu" | "nic" | "ssd" | "ssds_per_node"
>;

/** Dangling ids of a system or a composed node, with a message naming the valid ids. */
export function systemReferenceProblems(
  cat: ReferencedEntries,
  s: SystemLike,
  label: (field: string) => string,
): string[] {
  const out: string[] = [];
  const ref = (field: string, id: string | undefined, kind: CatalogKind) => {
    if (id === undefined) return;
    const map = cat[kind] as Map<string, unknown>;
    if (!map.has(id))
      out.push(
        `${label(field)}: unknown ${kind} id '${id}'${didYouMean(id, map.keys())} (expected one of: ` +
          `${[...map.keys()].sort().join(", ")})`,
      );
  };
  ref("accelerator", s.accelerator, "accelerators");
  ref("fabric", s.fabric, "links");
  ref("host_link", s.host_link, "links");
  ref("host_cpu", s.host_cpu, "cpus");
  ref("nic", s.nic, "nics");
  ref("ssd", s.ssd, "storage");
  if (s.accelerators_per_node > 0 && !s.accelerator)
    out.push(
      `${label("accelerator")}: accelerators_per_node is ${s.accelerators_per_node} but no accelerator is named ` +
        "(expected an accelerator id)",
    );
  if (s.accelerators_per_node === 0 && s.accelerator)
    out.push(
      `${label("accelerators_per_node")}: is 0 but accelerator '${s.accelerator}' is named (expected a count of at ` +
        "least 1)",
    );
  if ((s.ssds_per_node ?? 0) > 0 && !s.ssd)
    out.push(`${label("ssd")}: ssds_per_node > 0 but no ssd is named (expected a storage id)`);
  return out;
}
