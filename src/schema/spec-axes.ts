// JSON Schema of a spec's swept axes and composed nodes: numeric axes (lists or ranges), compose fields as lists and
// ranges, and what-if parts derived from catalog parts (docs/hardware-axes.md). Part of the sweep schema (spec.ts).
import Type, { type Static } from "typebox";
import { CatalogId, Id } from "./common.ts";
import { SystemFields } from "./catalog.ts";

/**
 * A figure of a derived part: `x1.5` scales the catalog part's figure, a number sets it. One schema with a list of
 * types rather than a union: each keyword applies to its own type only (the bounds to numbers, the pattern to
 * strings), the messages name the keyword that failed, and the compiled validator is a third of the union's size
 * (the figure appears 16 times in each of 6 places a part may be derived).
 */
const FIGURE_KEYWORDS = {
  exclusiveMinimum: 0,
  maximum: 1e9,
  pattern: "^x[0-9]+(\\.[0-9]+)?$",
  maxLength: 20,
  description: "a factor like x1.5 (scales the catalog figure) or a number (sets it)",
};
const DeriveFigure = Type.Unsafe<number | string>({ type: ["number", "string"], ...FIGURE_KEYWORDS });
/** One figure or a list of them (a list sweeps the figure). */
const DeriveAxis = Type.Unsafe<number | string | Array<number | string>>({
  type: ["number", "string", "array"],
  ...FIGURE_KEYWORDS,
  items: DeriveFigure,
  minItems: 1,
  maxItems: 100,
});
export { DERIVE_FIGURES } from "./vocab.ts";
import { DERIVE_FIGURES } from "./vocab.ts";
/** A what-if part: a catalog part with some figures scaled or set, each given as one value or a list. */
export const Derive = Type.Object(
  {
    derive: Type.Object(
      {
        from: Id,
        ...Object.fromEntries(DERIVE_FIGURES.map((f) => [f, Type.Optional(DeriveAxis)])),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, description: "a what-if part derived from a catalog part" },
);

/**
 * A swept numeric axis: a list of values, or a range. A range's ends obey the bounds its list values obey, so
 * every value it produces (all lie between its ends) does too.
 */
const Range = (ends: () => object) =>
  Type.Object(
    {
      from: ends(),
      to: ends(),
      steps: Type.Optional(
        Type.Integer({
          minimum: 1,
          maximum: 10000,
          default: 5,
          description: "number of values for linear/log scales (default 5)",
        }),
      ),
      scale: Type.Enum(["linear", "log", "pow2"], {
        description: "linear or log: 'steps' values from..to; pow2: every power of two in from..to",
      }),
    },
    { additionalProperties: false },
  );
export const NumberAxis = (description: string, maximum = 1e15) =>
  Type.Union(
    [
      Type.Array(Type.Number({ exclusiveMinimum: 0, maximum }), { minItems: 1, maxItems: 10000, uniqueItems: true }),
      Range(() => Type.Number({ exclusiveMinimum: 0, maximum })),
    ],
    { description },
  );
/** A swept share in (0, 1]: a list or a range. */
export const ShareAxis = (description: string) =>
  Type.Union(
    [
      Type.Array(Type.Number({ exclusiveMinimum: 0, maximum: 1 }), { minItems: 1, maxItems: 1000, uniqueItems: true }),
      Range(() => Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    ],
    { description },
  );
export const IntAxis = (description: string, maximum = 1e12, extra: object = {}) =>
  Type.Union(
    [
      Type.Array(Type.Integer({ minimum: 1, maximum }), { minItems: 1, maxItems: 10000, uniqueItems: true }),
      Range(() => Type.Number({ minimum: 1, maximum })),
    ],
    { description, ...extra },
  );

/** A catalog part, or a what-if part derived from one (see Derive). */
const PartChoice = (kind: string) => Type.Union([CatalogId(kind), Derive]);
/** An id field of a compose: one part or a list of parts to sweep (what-if parts where `derivable`). */
const PartAxis = (kind: string, description: string, derivable = true) => {
  const choice = derivable ? PartChoice(kind) : CatalogId(kind);
  return Type.Union([choice, Type.Array(choice, { minItems: 1, maxItems: 1000 })], { description });
};
/** A count field of a compose: one count, a list or a range (0 allowed where the catalog allows it). */
const CountAxis = (description: string, minimum: number, maximum: number) =>
  Type.Union(
    [
      Type.Integer({ minimum, maximum }),
      Type.Array(Type.Integer({ minimum, maximum }), { minItems: 1, maxItems: 1000 }),
      Range(() => Type.Number({ minimum, maximum })),
    ],
    { description },
  );
const FigureAxis = (description: string, maximum: number) =>
  Type.Union([Type.Number({ exclusiveMinimum: 0, maximum }), NumberAxis(description, maximum)], { description });

/**
 * A compose's fields: those of a catalog system, each of which may also be a list (numeric ones a range); the spec
 * expands to the product of the node designs they describe (spec/compose.ts).
 */
export const ComposeFields = Type.Object(
  {
    name: SystemFields.name,
    kind: SystemFields.kind,
    accelerator: Type.Optional(PartAxis("accelerators", "accelerator id(s), or derived what-if parts")),
    accelerators_per_node: CountAxis("accelerators per node (0: CPU-only)", 0, 1024),
    fabric: PartAxis("links", "accelerator fabric link id(s)", false),
    host_link: Type.Optional(PartAxis("links", "host link id(s)", false)),
    gpus_per_host_link: Type.Optional(CountAxis("accelerators sharing one host-link uplink", 1, 64)),
    host_cpu: PartAxis("cpus", "host CPU id(s), or derived what-if parts"),
    cpu_sockets: CountAxis("CPU sockets per node", 1, 64),
    host_memory_gb: FigureAxis("host DRAM per node, GB", 1e8),
    nic: PartAxis("nics", "NIC id(s), or derived what-if parts"),
    nics_per_node: CountAxis("compute NICs per node", 1, 64),
    ssd: Type.Optional(PartAxis("storage", "SSD id(s)", false)),
    ssds_per_node: Type.Optional(CountAxis("SSDs per node", 0, 256)),
    max_power_w: Type.Optional(FigureAxis("rated maximum node power, W (designs above it are refused)", 1e6)),
    price_usd: Type.Optional(FigureAxis("node price, USD", 1e9)),
    cloud_usd_per_node_hour: Type.Optional(FigureAxis("cloud price of one node, USD per hour", 1e6)),
  },
  { additionalProperties: false },
);

export const ComposedSystem = Type.Object(
  { id: Id, compose: ComposeFields },
  { additionalProperties: false, description: "a node composed from catalog parts; lists expand to several nodes" },
);

export type ComposedSystem = Static<typeof ComposedSystem>;
