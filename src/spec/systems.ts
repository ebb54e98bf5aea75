// A spec's systems as the plan's node designs: catalog ids, composes and the products their lists expand to, with
// the buildability verdict of every composed design and the what-if parts each uses.
import { canonical, type Catalog } from "../catalog/load.ts";
import { systemParts } from "../catalog/systems.ts";
import { buildNodeModel, type NodeParts } from "../model/node.ts";
import type { System, Tco } from "../schema/catalog.ts";
import type { SweepSpec } from "../schema/spec.ts";
import { buildProblem } from "./buildable.ts";
import { composeProblems, composeSize, expandCompose, PART_FIELDS, partCatalog } from "./compose.ts";
import { isDerive } from "./derive.ts";

export interface PlanSystems {
  systems: NodeParts[];
  /** per system: 0, or the reason code refusing every point of a composed node that cannot be built */
  refused: number[];
  /** per system: the what-if parts it uses, as "derived-id" strings (empty: catalog parts only) */
  derivedParts: string[][];
  notes: string[];
}

/** Node designs a spec's systems stand for before duplicates are removed (cheap: nothing is built). */
export function specSystemCount(spec: Pick<SweepSpec, "systems">): number {
  return spec.systems.reduce(
    (n, s) => n + (typeof s === "string" ? 1 : composeSize(s.compose as Record<string, unknown>)),
    0,
  );
}

/** Unknown part ids in a compose whose fields may be lists, and problems of its derives. */
export function composeListProblems(cat: Catalog, compose: Record<string, unknown>, label: (f: string) => string) {
  const out: string[] = [];
  for (const [field, kind] of Object.entries(PART_FIELDS)) {
    const v = compose[field];
    if (v === undefined) continue;
    for (const it of Array.isArray(v) ? v : [v]) {
      if (isDerive(it) || typeof it !== "string") continue;
      const map = cat[kind] as Map<string, unknown>;
      if (!map.has(it))
        out.push(`${label(field)}: unknown ${kind} id '${it}' (expected one of: ${[...map.keys()].sort().join(", ")})`);
    }
  }
  const counts = compose.accelerators_per_node;
  const anyAccelerators = Array.isArray(counts)
    ? counts.some((c) => c > 0)
    : typeof counts === "object" || counts !== 0;
  if (anyAccelerators && compose.accelerator === undefined)
    out.push(`${label("accelerator")}: accelerators_per_node may be above 0 but no accelerator is named`);
  out.push(...composeProblems(compose, cat, label));
  return out;
}

export function planSystems(spec: SweepSpec, cat: Catalog, tco: Tco): PlanSystems {
  const pc = partCatalog(cat);
  const out: PlanSystems = { systems: [], refused: [], derivedParts: [], notes: [] };
  const byKey = new Map<string, string>();
  const ids = new Set<string>();
  let dropped = 0;
  // the catalog part a part stands for (a what-if part: the one it derives from), or null for an accelerator of the
  // user's own catalog, which no fabric's list of connected parts can speak for (buildable.ts)
  const origin = (partId: string) => {
    const base = pc.derivedFrom.get(partId) ?? partId;
    return !cat.builtIn || cat.builtIn.accelerators.has(base) ? base : null;
  };
  for (const s of spec.systems) {
    if (typeof s === "string") {
      const parts = systemParts(cat, s, cat.systems.get(s)!);
      out.systems.push(parts);
      // a system of the user's own catalog is held to the checks a composed node gets; a built-in one is a product
      const own = cat.builtIn !== undefined && !cat.builtIn.systems.has(s);
      const fields = cat.systems.get(s)!;
      const node = buildNodeModel(parts, tco);
      noteMissing(out.notes, s, node.missing);
      out.refused.push(own ? buildProblem(parts, node, fields.max_power_w, tco.chassis_overhead_fraction, origin) : 0);
      out.derivedParts.push([]);
      ids.add(s);
      continue;
    }
    for (const d of expandCompose(s.id, s.compose as Record<string, unknown>, pc)) {
      // a count of 0 is a CPU-only node: the accelerator it names is not part of it
      if (d.fields.accelerators_per_node === 0) delete d.fields.accelerator;
      const key = canonical(d.fields);
      const first = byKey.get(key);
      if (first !== undefined) {
        if (dropped++ < 20)
          out.notes.push(`systems: node design '${d.id}' is the same node as '${first}'; scored once`);
        continue;
      }
      let id = d.id;
      for (let n = 2; ids.has(id); n++) id = `${d.id}-${n}`;
      ids.add(id);
      byKey.set(key, id);
      const fields = d.fields as unknown as System;
      const parts = systemParts(pc.cat, id, fields);
      const node = buildNodeModel(parts, tco);
      noteMissing(out.notes, id, node.missing);
      const fabricList = parts.fabric.accelerators;
      const own = parts.accelerator && fields.accelerators_per_node > 0 ? parts.accelerator.id : undefined;
      const note =
        own !== undefined && origin(own) === null && fabricList && !fabricList.includes(own)
          ? `systems: '${own}' (from --catalog) is not among the accelerators '${parts.fabric.id}' is known to ` +
            `connect (${fabricList.join(", ")}); assumed to fit it, up to its ${parts.fabric.max_devices ?? "any"} ` +
            "devices (a links entry of your own can say which parts it connects)"
          : null;
      if (note && !out.notes.includes(note)) out.notes.push(note);
      out.systems.push(parts);
      out.refused.push(buildProblem(parts, node, fields.max_power_w, tco.chassis_overhead_fraction, origin));
      out.derivedParts.push(
        [fields.accelerator, fields.host_cpu, fields.nic].filter(
          (p): p is string => p !== undefined && pc.derivedFrom.has(p),
        ),
      );
    }
  }
  if (dropped > 20) out.notes.push(`systems: ${dropped} duplicate node designs in all, each scored once`);
  else if (dropped > 0) out.notes.push(`systems: ${dropped} duplicate node design(s), each scored once`);
  return out;
}

/**
 * A note, once per set of missing figures, for a node whose parts lack figures the model needs: its points are
 * infeasible (missing-catalog-figure), which check would otherwise not say (a user's part may give few figures).
 */
function noteMissing(notes: string[], id: string, missing: readonly string[]): void {
  if (!missing.length) return;
  const infeasible = "their points are infeasible (missing-catalog-figure)";
  const what = `lack(s) ${missing.join(", ")}, which the model needs: ${infeasible}`;
  if (!notes.some((n) => n.endsWith(what))) notes.push(`systems: ${id} ${what}`);
}
