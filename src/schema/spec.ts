// JSON Schema of sweep specs (sweeps/*.yaml): the single source of the spec types. Defaults are documented in
// each `description` and applied in spec/resolve.ts.
import Type, { type Static } from "typebox";
import { CatalogId, CATALOG_ID_KEYWORD, Id, Positive, PositiveInt, TCO_DEFAULT_KEYWORD } from "./common.ts";
import { ModelFields } from "./catalog.ts";
import { ComposedSystem, IntAxis, NumberAxis, ShareAxis } from "./spec-axes.ts";

export {
  PLACEMENTS,
  PRECISIONS,
  EMBEDDING_PRECISIONS,
  OBJECTIVES,
  type Placement,
  type Precision,
  type Objective,
} from "./vocab.ts";
import {
  DEFAULT_OBJECTIVES,
  DEFAULT_PRECISIONS,
  DEFAULT_PS_NODES,
  DEFAULT_PS_SYSTEM,
  DEFAULT_SOFTWARE,
  PLACEMENTS,
  PRECISIONS,
  EMBEDDING_PRECISIONS,
  OBJECTIVES,
} from "./vocab.ts";

/** A cost figure whose default is the built-in TCO entry's (emitted as `default` by emit.ts). */
const tcoDefault = (field: string) => ({ description: "default from hardware/tco.json", [TCO_DEFAULT_KEYWORD]: field });

export { ComposeFields, Derive, DERIVE_FIGURES, IntAxis, NumberAxis } from "./spec-axes.ts";

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
        uniqueItems: true,
        description: "override access skew",
      }),
    ),
    embedding_precision: Type.Optional(
      Type.Array(Type.Enum([...EMBEDDING_PRECISIONS]), {
        minItems: 1,
        maxItems: 4,
        uniqueItems: true,
        description: "precision of stored embeddings (default fp32)",
      }),
    ),
  },
  { additionalProperties: false },
);
export const ModelChoice = Type.Union(
  [
    Type.Object(
      { preset: CatalogId("models", "a catalog model id"), sweep: Type.Optional(ModelAxes) },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        inline: Type.Object({ id: Id, ...ModelFields }, { additionalProperties: false }),
        sweep: Type.Optional(ModelAxes),
      },
      { additionalProperties: false },
    ),
  ],
  { description: "a model: { preset: ID } names a catalog model, { inline: {...} } defines one in the spec" },
);

export const SweepSpec = Type.Object(
  {
    $schema: Type.Optional(Type.String({ maxLength: 500 })),
    schemaVersion: Type.Literal(1, { description: "spec format version; this tool reads 1" }),
    name: Type.String({
      pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$",
      description: "run name; also the default output folder out/<name>",
    }),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    systems: Type.Array(
      Type.Union([CatalogId("systems", "a catalog system id"), ComposedSystem], {
        description: "a system: a catalog system id, or { id, compose: {...} } for a node built from catalog parts",
      }),
      {
        minItems: 1,
        maxItems: 1000,
        description: "catalog system ids or composed nodes",
      },
    ),
    nodes: IntAxis("trainer nodes in the job", 1e6),
    placements: Type.Array(Type.Enum([...PLACEMENTS]), {
      minItems: 1,
      maxItems: PLACEMENTS.length,
      uniqueItems: true,
      description: "embedding placement policies to sweep",
    }),
    ps_nodes: Type.Optional(
      IntAxis(
        `parameter-server nodes for remote-ps; each value is a placement variant (default [${DEFAULT_PS_NODES}])`,
        1e5,
        { default: [DEFAULT_PS_NODES] },
      ),
    ),
    ps_system: Type.Optional(
      CatalogId("systems", `the system of parameter-server and reader nodes (default ${DEFAULT_PS_SYSTEM})`, {
        default: DEFAULT_PS_SYSTEM,
      }),
    ),
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
            default: [...DEFAULT_PRECISIONS],
          }),
        ),
        software: Type.Optional(
          Type.String({
            pattern: "^[a-z0-9-]+(@[a-z0-9.-]+)?$",
            description:
              "software stack (docs/cost-model.md section S): hugectr (NVIDIA only; its latest fitted release), " +
              "pytorch, tensorflow, torchrec, a release such as hugectr@v1.1, or unspecified / vendor-default " +
              "(the default: each accelerator vendor's own stack, hugectr on NVIDIA, torchrec on AMD, pytorch " +
              "elsewhere)",
            default: DEFAULT_SOFTWARE,
          }),
        ),
        data_loading: Type.Optional(
          Type.Enum(["local", "readers"], {
            description:
              "local: trainers read preprocessed data from their own storage (default); readers: disaggregated " +
              "reader nodes (ps_system) stream samples over the network and count in power and cost",
            default: "local",
          }),
        ),
        hbm_cache_share: Type.Optional(
          ShareAxis(
            "share of the tables' bytes held in accelerator memory by hbm-cache (its cache of the hottest rows) and " +
              "hbm-split (its part of every table's rows); each value is a placement variant of those two " +
              "(default: as much as fits after MLP state and activations, docs/cost-model.md E4, E12)",
          ),
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
        description: `maximised together (default [${DEFAULT_OBJECTIVES.join(", ")}])`,
        default: [...DEFAULT_OBJECTIVES],
      }),
    ),
    cost: Type.Optional(
      Type.Object(
        {
          basis: Type.Optional(
            Type.Enum(["capital", "cloud"], {
              description: "capital: amortised price + energy (default); cloud: hourly rates",
              default: "capital",
            }),
          ),
          electricity_usd_per_kwh: Type.Optional(
            Type.Number({ ...tcoDefault("electricity_usd_per_kwh"), exclusiveMinimum: 0, maximum: 100 }),
          ),
          pue: Type.Optional(Type.Number({ ...tcoDefault("pue"), minimum: 1, maximum: 5 })),
          amortization_years: Type.Optional(
            Type.Number({ ...tcoDefault("amortization_years"), exclusiveMinimum: 0, maximum: 100 }),
          ),
          cloud_usd_per_node_hour: Type.Optional(Positive("override every node's cloud rate", 1e6)),
          cloud_provider: Type.Optional(
            Type.String({
              pattern: "^[a-z0-9][a-z0-9_.+-]*$",
              maxLength: 64,
              description:
                "with basis cloud: whose rates (one provider and tier per comparison, from hardware/tco.json " +
                "cloud_providers: aws, lambda, azure); default the catalog's default_cloud_provider (aws)",
              [TCO_DEFAULT_KEYWORD]: "default_cloud_provider",
              [CATALOG_ID_KEYWORD]: "cloud_providers",
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    output: Type.Optional(
      Type.Object(
        {
          points_csv: Type.Optional(
            Type.Boolean({ description: "write every feasible point to points.csv (default true)", default: true }),
          ),
          report: Type.Optional(Type.Boolean({ description: "write report.html (default true)", default: true })),
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
          points_parquet: Type.Optional(
            Type.Boolean({
              description:
                "also write every feasible point to points.parquet: compressed and columnar, for pandas/pyarrow " +
                "and DuckDB (default false); with points_csv: false, the fast way to keep every point of a large sweep",
              default: false,
            }),
          ),
          columns: Type.Optional(
            Type.Array(Type.String({ pattern: "^[a-z0-9_]+$", maxLength: 64 }), {
              minItems: 1,
              maxItems: 100,
              uniqueItems: true,
              description:
                "the columns of points.parquet, in this order (points.csv's names; default all); points.csv and " +
                "top-k.csv keep all their columns",
            }),
          ),
          top_k: Type.Optional(
            PositiveInt(
              "write top-k.csv: for each workload and objective, the k best feasible points " +
                "(works with points_csv: false)",
              100000,
            ),
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
