// JSON Schema of a whole catalog file (hardware/*.json and --catalog DIR): its lists of entries by kind, and
// overrides of single figures of existing entries.
import Type, { type Static } from "typebox";
import { Accelerator, Cpu, Link, Model, Nic, Storage, System, Tco } from "./catalog.ts";
import { Id, Notes, Sources } from "./common.ts";
import { CATALOG_KINDS } from "./vocab.ts";

/** The schema of each catalog kind's entries (overrides here; `recsweep catalog` reads the fields' descriptions). */
export const ENTRY_SCHEMAS = {
  accelerators: Accelerator,
  cpus: Cpu,
  links: Link,
  nics: Nic,
  storage: Storage,
  systems: System,
  models: Model,
  tco: Tco,
} as const;
/**
 * What an override may set for each kind: any figure of the entry but its id and provenance. (That `set` names at
 * least one figure is `Override.set`'s own rule: stated twice, an empty `set` got the same message twice.)
 */
const settable = (kind: keyof typeof ENTRY_SCHEMAS) =>
  Type.Partial(Type.Omit(ENTRY_SCHEMAS[kind], ["id", "sources", "derived", "notes"]), {
    additionalProperties: false,
  });

/**
 * An override of single figures of an entry that already exists (built-in or another --catalog file), e.g. a
 * negotiated price, without copying the entry. `set`'s fields are those of `kind`'s entries (checked per kind
 * through if/then, so editors complete them); its sources say where the new figures come from.
 */
export const Override = Type.Object(
  {
    kind: Type.Enum([...CATALOG_KINDS], { description: "the kind of the entry: accelerators, cpus, systems, ..." }),
    id: Id,
    set: Type.Record(Type.String({ maxLength: 80 }), Type.Unknown(), {
      minProperties: 1,
      description: "field -> new value, e.g. { price_usd: 21000 }",
    }),
    sources: Sources,
    notes: Type.Optional(Notes),
  },
  {
    additionalProperties: false,
    description: "single figures of an existing catalog entry replaced, with their sources",
    allOf: CATALOG_KINDS.map((kind) => ({
      if: { properties: { kind: { const: kind } }, required: ["kind"] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a promise
      then: { properties: { set: settable(kind) } },
    })),
  },
);

const list = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Optional(Type.Array(item, { maxItems: 10000 }));
export const CatalogFile = Type.Object(
  {
    $schema: Type.Optional(Type.String({ maxLength: 500 })),
    accelerators: list(Accelerator),
    cpus: list(Cpu),
    links: list(Link),
    nics: list(Nic),
    storage: list(Storage),
    systems: list(System),
    models: list(Model),
    tco: list(Tco),
    overrides: Type.Optional(
      Type.Array(Override, {
        maxItems: 10000,
        description: "figures of existing entries replaced in place (recorded in each run's manifest.json)",
      }),
    ),
  },
  {
    additionalProperties: false,
    $id: "https://recsweep.dev/schemas/catalog.schema.json",
    title: "recsweep hardware catalog file",
  },
);

export type CatalogFile = Static<typeof CatalogFile>;
export type Override = Static<typeof Override>;
