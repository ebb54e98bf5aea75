// JSON Schema of sweep specs (sweeps/*.yaml): the single source of the spec types. Defaults are documented in
// each `description` and applied in spec/resolve.ts.
import Type, { type Static } from "typebox";
import { Id, Positive, PositiveInt } from "./common.ts";
import { ModelFields } from "./catalog.ts";

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

import { ComposedSystem, IntAxis, NumberAxis } from "./spec-axes.ts";

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
              "software stack (docs/cost-model.md section S): hugectr (NVIDIA only; its latest fitted release), " +
              "pytorch, tensorflow, torchrec, a release such as hugectr@v1.1, or unspecified / vendor-default " +
              "(the default: each accelerator vendor's own stack, hugectr on NVIDIA, torchrec on AMD, pytorch " +
              "elsewhere)",
          }),
        ),
        data_loading: Type.Optional(
          Type.Enum(["local", "readers"], {
            description:
              "local: trainers read preprocessed data from their own storage (default); readers: disaggregated " +
              "reader nodes (ps_system) stream samples over the network and count in power and cost",
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
          cloud_provider: Type.Optional(
            Type.String({
              pattern: "^[a-z0-9][a-z0-9_.+-]*$",
              maxLength: 64,
              description:
                "with basis cloud: whose rates (one provider and tier per comparison, from hardware/tco.json " +
                "cloud_providers: aws, lambda, azure); default the catalog's default_cloud_provider (aws)",
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
          points_parquet: Type.Optional(
            Type.Boolean({
              description:
                "also write every feasible point to points.parquet: compressed and columnar, for pandas/pyarrow " +
                "and DuckDB (default false); with points_csv: false, the fast way to keep every point of a large sweep",
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
