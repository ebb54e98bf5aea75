// Hardware as design axes: a spec's `compose` whose fields are lists (numeric ones ranges) expands to the product of
// the node designs they describe, each with a readable generated id (docs/hardware-axes.md). A compose without
// lists keeps the id the user gave it. Designs that repeat one already expanded are scored once, with a note.
import { canonical, type Catalog } from "../catalog/load.ts";
import type { CatalogKind } from "../schema/vocab.ts";
import { expandAxis, type AxisSpec } from "./axes.ts";
import { deriveCount, deriveProblems, expandDerive, isDerive, DERIVABLE_KINDS, type DeriveSpec } from "./derive.ts";

/** Compose fields that name catalog parts, and the catalog kind each names. */
export const PART_FIELDS: Record<string, CatalogKind> = {
  accelerator: "accelerators",
  fabric: "links",
  host_link: "links",
  host_cpu: "cpus",
  nic: "nics",
  ssd: "storage",
};
const COUNT_FIELDS = new Set(["accelerators_per_node", "gpus_per_host_link", "cpu_sockets", "nics_per_node"]);
COUNT_FIELDS.add("ssds_per_node");
/** Every field that may be swept, in expansion order (the last varies fastest). */
export const COMPOSE_AXES = [
  "accelerator",
  "accelerators_per_node",
  "fabric",
  "host_link",
  "gpus_per_host_link",
  "host_cpu",
  "cpu_sockets",
  "host_memory_gb",
  "nic",
  "nics_per_node",
  "ssd",
  "ssds_per_node",
  "max_power_w",
  "price_usd",
  "cloud_usd_per_node_hour",
] as const;

/** Most node designs one spec may expand to (their models are built in every worker thread). */
export const MAX_NODE_DESIGNS = 200_000;

type Raw = Record<string, unknown>;
const isRange = (v: unknown) => !!v && typeof v === "object" && !Array.isArray(v) && "from" in (v as object);

/** Number of values a compose field stands for, without building derived parts. */
function fieldCount(field: string, v: unknown): number {
  if (v === undefined) return 1;
  if (PART_FIELDS[field]) {
    const items = Array.isArray(v) ? v : [v];
    return items.reduce((n: number, it) => n + (isDerive(it) ? deriveCount(it) : 1), 0);
  }
  if (Array.isArray(v) || isRange(v)) return expandAxis(v as AxisSpec, COUNT_FIELDS.has(field)).length;
  return 1;
}

/** Node designs a compose stands for (before duplicates are removed): the product of its fields' lengths. */
export function composeSize(compose: Raw): number {
  return COMPOSE_AXES.reduce((n, f) => n * fieldCount(f, compose[f]), 1);
}

/** True when some field of the compose is a list, a range or a derive: it expands to generated ids. */
export function composeHasAxes(compose: Raw): boolean {
  return COMPOSE_AXES.some((f) => {
    const v = compose[f];
    return Array.isArray(v) || isRange(v) || isDerive(v);
  });
}

/** Problems with derives in a compose (unknown parts, figures of another kind, price and power not stated). */
export function composeProblems(compose: Raw, cat: Catalog, label: (field: string) => string): string[] {
  const out: string[] = [];
  for (const [field, kind] of Object.entries(PART_FIELDS)) {
    const v = compose[field];
    if (Array.isArray(v)) {
      // each part once, as numeric axes take each value once (a derive is told apart by its whole text)
      const keys = v.map((it) => (typeof it === "string" ? it : canonical(it)));
      const twice = keys.findIndex((k, i) => keys.indexOf(k) !== i);
      if (twice >= 0)
        out.push(`${label(`${field}[${twice}]`)}: repeats an earlier value of the list (expected each part once)`);
    }
    (Array.isArray(v) ? v : [v]).forEach((it) => {
      if (!isDerive(it)) return;
      if (!DERIVABLE_KINDS.includes(kind))
        out.push(`${label(field)}: what-if parts derive from ${DERIVABLE_KINDS.join(", ")} only (got ${kind})`);
      else {
        const parts = cat[kind] as Map<string, Raw>;
        // a missing or mistyped `from` is the schema's to report
        if (typeof it.derive.from !== "string") return;
        const base = parts.get(it.derive.from);
        for (const p of deriveProblems(it, base, kind, [...parts.keys()])) out.push(`${label(field)}.${p}`);
      }
    });
  }
  const total = composeSize(compose);
  if (total > MAX_NODE_DESIGNS)
    out.push(`${label("")}: expands to ${total} node designs (expected at most ${MAX_NODE_DESIGNS})`);
  return out;
}

/** A catalog with the what-if parts a spec derives added under their own ids. */
export interface PartCatalog {
  cat: Catalog;
  /** derived part id -> the catalog part it derives from */
  derivedFrom: Map<string, string>;
}

export function partCatalog(cat: Catalog): PartCatalog {
  const copy = { ...cat } as Catalog;
  for (const kind of DERIVABLE_KINDS as CatalogKind[])
    (copy as unknown as Raw)[kind] = new Map(cat[kind] as Map<string, unknown>);
  return { cat: copy, derivedFrom: new Map() };
}

/** Values of one field: part ids (derived parts registered in `pc`), numbers, or [undefined] when absent. */
function fieldValues(field: string, v: unknown, pc: PartCatalog): unknown[] {
  if (v === undefined) return [undefined];
  const kind = PART_FIELDS[field];
  if (kind) {
    const ids: string[] = [];
    for (const it of Array.isArray(v) ? v : [v]) {
      if (!isDerive(it)) {
        ids.push(it as string);
        continue;
      }
      const map = pc.cat[kind] as Map<string, Raw>;
      for (const d of expandDerive(it as DeriveSpec, map.get(it.derive.from)!)) {
        if (d.derived) {
          map.set(d.id, d.part);
          pc.derivedFrom.set(d.id, it.derive.from);
        }
        ids.push(d.id);
      }
    }
    return [...new Set(ids)];
  }
  if (Array.isArray(v) || isRange(v)) return expandAxis(v as AxisSpec, COUNT_FIELDS.has(field));
  return [v];
}

/** A short name of a catalog id, unique among its kind: the first of its first token, last token, first two, ... */
export function shortName(id: string, ids: Iterable<string>, derivedFrom: Map<string, string>): string {
  const from = derivedFrom.get(id);
  if (from !== undefined) return shortName(from, ids, derivedFrom) + id.slice(from.length);
  const others = [...ids].filter((o) => o !== id && !derivedFrom.has(o));
  const t = id.split("-");
  const candidates = [t[0]!, t[t.length - 1]!];
  for (let k = 2; k < t.length; k++) candidates.push(t.slice(0, k).join("-"));
  for (const c of candidates) {
    if (others.every((o) => !(o === c || o.startsWith(`${c}-`) || o.endsWith(`-${c}`)))) return c;
  }
  return id;
}

/** One expanded node design: its id and fields as a catalog system's (part ids, numbers). */
export interface NodeDesign {
  id: string;
  fields: Raw;
}

/** The generated id of a design: its main parts always, other fields only when the compose sweeps them. */
function designId(f: Raw, swept: Set<string>, short: (field: string, id: string) => string): string {
  const g = f.accelerators_per_node as number;
  const parts = [g > 0 && f.accelerator ? `${g}x${short("accelerator", f.accelerator as string)}` : "cpu"];
  if (f.fabric !== "none") parts.push(short("fabric", f.fabric as string));
  parts.push(`${f.cpu_sockets}x${short("host_cpu", f.host_cpu as string)}`, `${f.host_memory_gb}g`);
  parts.push(`${f.nics_per_node}x${short("nic", f.nic as string)}`);
  if (swept.has("host_link") && f.host_link) parts.push(`hl-${short("host_link", f.host_link as string)}`);
  if (swept.has("gpus_per_host_link")) parts.push(`${f.gpus_per_host_link}perhl`);
  if ((swept.has("ssd") || swept.has("ssds_per_node")) && f.ssd)
    parts.push(`${f.ssds_per_node ?? 1}x${short("ssd", f.ssd as string)}`);
  if (swept.has("max_power_w")) parts.push(`max${f.max_power_w}w`);
  if (swept.has("price_usd")) parts.push(`usd${f.price_usd}`);
  if (swept.has("cloud_usd_per_node_hour")) parts.push(`usd${f.cloud_usd_per_node_hour}h`);
  return parts.join("-").toLowerCase();
}

/**
 * The node designs of a compose, in mixed-radix order of COMPOSE_AXES (last fastest). A compose without lists is
 * one design under the id given.
 */
export function expandCompose(id: string, compose: Raw, pc: PartCatalog): NodeDesign[] {
  const fixed: Raw = {};
  for (const k of Object.keys(compose)) if (!(COMPOSE_AXES as readonly string[]).includes(k)) fixed[k] = compose[k];
  const values = COMPOSE_AXES.map((f) => fieldValues(f, compose[f], pc));
  if (!composeHasAxes(compose)) return [{ id, fields: { ...compose } }];
  const swept = new Set(COMPOSE_AXES.filter((f, i) => values[i]!.length > 1 || isDerive(compose[f])));
  const shortCache = new Map<string, string>();
  const short = (field: string, partId: string) => {
    const key = `${field}:${partId}`;
    let s = shortCache.get(key);
    if (s === undefined) {
      s = shortName(partId, (pc.cat[PART_FIELDS[field]!] as Map<string, unknown>).keys(), pc.derivedFrom);
      shortCache.set(key, s);
    }
    return s;
  };
  const out: NodeDesign[] = [];
  const d = new Array<number>(values.length).fill(0);
  for (;;) {
    const fields: Raw = { ...fixed };
    COMPOSE_AXES.forEach((f, i) => {
      const v = values[i]![d[i]!];
      if (v !== undefined) fields[f] = v;
    });
    out.push({ id: designId(fields, swept, short), fields });
    let k = values.length - 1;
    for (; k >= 0; k--) {
      if (++d[k]! < values[k]!.length) break;
      d[k] = 0;
    }
    if (k < 0) return out;
  }
}
