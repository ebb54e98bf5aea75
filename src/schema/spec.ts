// JSON Schema of sweep specs (sweeps/*.yaml): the single source of the spec types. Defaults are documented in
// each `description` and applied in spec/resolve.ts.
import Type, { type Static } from "typebox";
import { Id, Positive, PositiveInt } from "./common.ts";
import { ModelFields, SystemFields } from "./catalog.ts";

export {
  PLACEMENTS,
  PRECISIONS,
  EMBEDDING_PRECISIONS,
  OBJECTIVES,
  type Placement,
  type Precision,
  type Objective,
} from "./vocab.ts";
import { DEFAULT_PRECISIONS, PLACEMENTS, PRECISIONS, EMBEDDING_PRECISIONS, OBJECTIVES } from "./vocab.ts";

/** A figure of a derived part: `x1.5` scales the catalog part's figure, a number sets it. */
const DeriveFigure = Type.Union([
  Type.Number({ exclusiveMinimum: 0, maximum: 1e9 }),
  Type.String({ pattern: "^x[0-9]+(\\.[0-9]+)?$", maxLength: 20, description: "a factor: x1.5" }),
]);
const DeriveAxis = Type.Union([DeriveFigure, Type.Array(DeriveFigure, { minItems: 1, maxItems: 100 })]);
/** Figures a what-if part may scale or set (see docs/hardware-axes.md for the rules on figures not given). */
export const DERIVE_FIGURES = [
  "memory_capacity_gb",
  "memory_bandwidth_gb_per_s",
  "peak_tflops_fp32",
  "peak_tflops_tf32",
  "peak_tflops_fp16_bf16",
  "peak_tflops_fp8",
  "scale_up_link_gb_per_s_bidirectional",
  "host_link_gb_per_s_per_direction",
  "line_rate_gbit_per_s",
  "memory_bandwidth_gb_per_s_per_socket",
  "cores",
  "tdp_w",
  "idle_w",
  "active_w",
  "price_usd",
] as const;
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

/** A swept numeric axis: a list of values, or a range. */
const Range = Type.Object(
  {
    from: Type.Number({ exclusiveMinimum: 0, maximum: 1e15 }),
    to: Type.Number({ exclusiveMinimum: 0, maximum: 1e15 }),
    steps: Type.Optional(PositiveInt("number of values for linear/log scales (default 5)", 10000)),
    scale: Type.Enum(["linear", "log", "pow2"], {
      description: "linear or log: 'steps' values from..to; pow2: every power of two in from..to",
    }),
  },
  { additionalProperties: false },
);
export const NumberAxis = (description: string, maximum = 1e15) =>
  Type.Union([Type.Array(Type.Number({ exclusiveMinimum: 0, maximum }), { minItems: 1, maxItems: 10000 }), Range], {
    description,
  });
export const IntAxis = (description: string, maximum = 1e12) =>
  Type.Union([Type.Array(Type.Integer({ minimum: 1, maximum }), { minItems: 1, maxItems: 10000 }), Range], {
    description,
  });

/** A catalog part, or a what-if part derived from one (see Derive). */
const PartChoice = () => Type.Union([Id, Derive]);
/** An id field of a compose: one part or a list of parts to sweep (what-if parts where `derivable`). */
const PartAxis = (description: string, derivable = true) => {
  const choice = derivable ? PartChoice() : Id;
  return Type.Union([choice, Type.Array(choice, { minItems: 1, maxItems: 1000 })], { description });
};
/** A count field of a compose: one count, a list or a range (0 allowed where the catalog allows it). */
const CountAxis = (description: string, minimum: number, maximum: number) =>
  Type.Union(
    [
      Type.Integer({ minimum, maximum }),
      Type.Array(Type.Integer({ minimum, maximum }), { minItems: 1, maxItems: 1000 }),
      Range,
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
    accelerator: Type.Optional(PartAxis("accelerator id(s), or derived what-if parts")),
    accelerators_per_node: CountAxis("accelerators per node (0: CPU-only)", 0, 1024),
    fabric: PartAxis("accelerator fabric link id(s)", false),
    host_link: Type.Optional(PartAxis("host link id(s)", false)),
    gpus_per_host_link: Type.Optional(CountAxis("accelerators sharing one host-link uplink", 1, 64)),
    host_cpu: PartAxis("host CPU id(s), or derived what-if parts"),
    cpu_sockets: CountAxis("CPU sockets per node", 1, 64),
    host_memory_gb: FigureAxis("host DRAM per node, GB", 1e8),
    nic: PartAxis("NIC id(s), or derived what-if parts"),
    nics_per_node: CountAxis("compute NICs per node", 1, 64),
    ssd: Type.Optional(PartAxis("SSD id(s)", false)),
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

export const ModelAxes = Type.Object(
  {
    dense_features: Type.Optional(IntAxis("override the dense feature count", 1e6)),
    embedding_dim: Type.Optional(IntAxis("override the embedding dim of every table", 65536)),
    pooling: Type.Optional(NumberAxis("override lookups per table per sample", 1e5)),
    table_count_scale: Type.Optional(NumberAxis("multiply the number of tables in every group", 1e4)),
    embedding_total_gb: Type.Optional(
      NumberAxis("scale all rows so the tables total this many GB at the embedding precision", 1e9),
    ),
    mlp_width_scale: Type.Optional(NumberAxis("multiply every hidden MLP width", 1e3)),
    zipf_alpha: Type.Optional(
      Type.Array(Type.Number({ minimum: 0, maximum: 5 }), {
        minItems: 1,
        maxItems: 1000,
        description: "override access skew",
      }),
    ),
    embedding_precision: Type.Optional(
      Type.Array(Type.Enum([...EMBEDDING_PRECISIONS]), {
        minItems: 1,
        maxItems: 4,
        description: "precision of stored embeddings (default fp32)",
      }),
    ),
  },
  { additionalProperties: false },
);
export const ModelChoice = Type.Union([
  Type.Object({ preset: Id, sweep: Type.Optional(ModelAxes) }, { additionalProperties: false }),
  Type.Object(
    {
      inline: Type.Object({ id: Id, ...ModelFields }, { additionalProperties: false }),
      sweep: Type.Optional(ModelAxes),
    },
    { additionalProperties: false },
  ),
]);

export const SweepSpec = Type.Object(
  {
    $schema: Type.Optional(Type.String({ maxLength: 500 })),
    schemaVersion: Type.Literal(1, { description: "spec format version; this tool reads 1" }),
    name: Type.String({
      pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$",
      description: "run name; also the default output folder out/<name>",
    }),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    systems: Type.Array(Type.Union([Id, ComposedSystem]), {
      minItems: 1,
      maxItems: 1000,
      description: "catalog system ids or composed nodes",
    }),
    nodes: IntAxis("trainer nodes in the job", 1e6),
    placements: Type.Array(Type.Enum([...PLACEMENTS]), {
      minItems: 1,
      maxItems: PLACEMENTS.length,
      uniqueItems: true,
      description: "embedding placement policies to sweep",
    }),
    ps_nodes: Type.Optional(
      IntAxis("parameter-server nodes for remote-ps; each value is a placement variant (default [2])", 1e5),
    ),
    ps_system: Type.Optional(Id),
    models: Type.Array(ModelChoice, { minItems: 1, maxItems: 1000 }),
    training: Type.Object(
      {
        batch_size: IntAxis("global batch size in samples", 1e9),
        precision: Type.Optional(
          Type.Array(Type.Enum([...PRECISIONS]), {
            minItems: 1,
            maxItems: 5,
            uniqueItems: true,
            description: `MLP compute precision (default [${DEFAULT_PRECISIONS.join(", ")}])`,
          }),
        ),
        software: Type.Optional(
          Type.String({
            pattern: "^[a-z0-9-]+(@[a-z0-9.-]+)?$",
            description:
              "software stack whose fitted efficiency and per-iteration overhead apply: hugectr (default, its latest fitted release), pytorch, tensorflow, torchrec, unspecified, or a release such as hugectr@v1.1",
          }),
        ),
        data_loading: Type.Optional(
          Type.Enum(["local", "readers"], {
            description:
              "local: trainers read preprocessed data from their own storage (default); readers: disaggregated reader nodes (ps_system) stream samples over the network and count in power and cost",
          }),
        ),
        samples_to_train: Type.Optional(
          PositiveInt("samples per training run (default: the model's samples_per_epoch, else none)", 1e15),
        ),
      },
      { additionalProperties: false },
    ),
    constraints: Type.Optional(
      Type.Object(
        {
          power_budget_w: Type.Optional(Positive("maximum job power including PUE, W", 1e12)),
          max_nodes: Type.Optional(PositiveInt("maximum nodes of all roles", 1e7)),
          min_throughput_samples_per_s: Type.Optional(Positive("minimum throughput", 1e15)),
        },
        { additionalProperties: false },
      ),
    ),
    objectives: Type.Optional(
      Type.Array(Type.Enum([...OBJECTIVES]), {
        minItems: 2,
        maxItems: 5,
        uniqueItems: true,
        description: "maximised together (default [samples_per_joule, samples_per_usd])",
      }),
    ),
    cost: Type.Optional(
      Type.Object(
        {
          basis: Type.Optional(
            Type.Enum(["capital", "cloud"], {
              description: "capital: amortised price + energy (default); cloud: hourly rates",
            }),
          ),
          electricity_usd_per_kwh: Type.Optional(Positive("default from hardware/tco.json", 100)),
          pue: Type.Optional(Type.Number({ minimum: 1, maximum: 5, description: "default from hardware/tco.json" })),
          amortization_years: Type.Optional(Positive("default from hardware/tco.json", 100)),
          cloud_usd_per_node_hour: Type.Optional(Positive("override every node's cloud rate", 1e6)),
        },
        { additionalProperties: false },
      ),
    ),
    output: Type.Optional(
      Type.Object(
        {
          points_csv: Type.Optional(
            Type.Boolean({ description: "write every feasible point to points.csv (default true)" }),
          ),
          report: Type.Optional(Type.Boolean({ description: "write report.html (default true)" })),
          prune: Type.Optional(
            Type.Boolean({
              description:
                "with points_csv false: skip blocks of points whose objective bounds cannot reach the frontier " +
                "(exact frontier; counts, bests and sensitivity then cover the scored points: run-info.json). " +
                "Default true; false scores every point",
            }),
          ),
          report_workloads: Type.Optional(
            Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
              minItems: 1,
              maxItems: 1000,
              description:
                "workloads the report shows when it opens: workload labels or parts of labels " +
                "(default: the first 4; the report's picker chooses others)",
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, $id: "https://recsweep.dev/schemas/sweep.schema.json", title: "recsweep sweep spec" },
);
export type SweepSpec = Static<typeof SweepSpec>;
export type ModelAxes = Static<typeof ModelAxes>;
export type ModelChoice = Static<typeof ModelChoice>;
export type ComposedSystem = Static<typeof ComposedSystem>;
