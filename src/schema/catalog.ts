// JSON Schema of hardware catalog files (hardware/*.json and --catalog DIR): the single source of the catalog types.
import Type, { type Static } from "typebox";
import { CatalogId, Derived, Id, NonNegative, Notes, Positive, PositiveInt, Sources } from "./common.ts";

const provenance = { sources: Sources, derived: Type.Optional(Derived), notes: Type.Optional(Notes) };

export const Accelerator = Type.Object(
  {
    id: Id,
    name: Type.String({ maxLength: 200 }),
    memory_capacity_gb: Positive("accelerator memory, vendor nominal GB (1e9 bytes)", 1e5),
    memory_bandwidth_gb_per_s: Type.Optional(Positive("peak memory bandwidth, GB/s", 1e6)),
    peak_tflops_fp32: Type.Optional(Positive("dense FP32 TFLOPS", 1e6)),
    peak_tflops_tf32: Type.Optional(Positive("dense TF32 tensor TFLOPS", 1e6)),
    peak_tflops_fp16_bf16: Type.Optional(Positive("dense FP16/BF16 tensor TFLOPS", 1e6)),
    peak_tflops_fp8: Type.Optional(Positive("dense FP8 TFLOPS", 1e6)),
    scale_up_link_gb_per_s_bidirectional: Type.Optional(Positive("GPU-GPU link, GB/s both directions", 1e5)),
    host_link_gb_per_s_per_direction: Type.Optional(Positive("host link (PCIe) GB/s per direction", 1e4)),
    tdp_w: Type.Optional(Positive("board power, W", 1e5)),
    idle_w: Type.Optional(NonNegative("idle power, W", 1e5)),
    price_usd: Type.Optional(Positive("unit price, USD", 1e8)),
    ...provenance,
  },
  { additionalProperties: false },
);

export const Cpu = Type.Object(
  {
    id: Id,
    name: Type.String({ maxLength: 200 }),
    codename: Type.Optional(Type.String({ maxLength: 100 })),
    cores: PositiveInt("cores per socket", 4096),
    base_ghz: Positive("base clock, GHz", 20),
    all_core_turbo_ghz: Type.Optional(Positive("all-core turbo, GHz", 20)),
    fp32_flop_per_cycle_per_core: Type.Optional(Positive("FP32 FLOP per cycle per core", 1e5)),
    bf16_flop_per_cycle_per_core: Type.Optional(Positive("BF16 FLOP per cycle per core", 1e5)),
    memory_type: Type.Optional(Type.String({ maxLength: 40 })),
    memory_channels: Type.Optional(PositiveInt("DRAM channels per socket", 64)),
    memory_mt_per_s: Type.Optional(PositiveInt("DRAM transfer rate, MT/s", 100000)),
    memory_bandwidth_gb_per_s_per_socket: Type.Optional(Positive("DRAM bandwidth per socket, GB/s", 1e5)),
    max_memory_gb_per_socket: Type.Optional(Positive("maximum DRAM per socket, GB", 1e7)),
    pcie_gen: Type.Optional(Positive("PCIe generation", 10)),
    pcie_lanes: Type.Optional(PositiveInt("PCIe lanes per socket", 1024)),
    tdp_w: Type.Optional(Positive("TDP per socket, W", 1e4)),
    idle_w: Type.Optional(NonNegative("package idle per socket, W", 1e4)),
    price_usd: Type.Optional(Positive("unit price, USD", 1e7)),
    ...provenance,
  },
  { additionalProperties: false },
);

export const Link = Type.Object(
  {
    id: Id,
    name: Type.String({ maxLength: 200 }),
    kind: Type.Enum(["pcie", "nvlink-mesh", "nvlink-direct", "nvswitch", "none"]),
    gb_per_s_per_direction: NonNegative("bandwidth per device per direction, GB/s", 1e5),
    direct_peer_fraction: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 1, description: "share of peers reached in one hop (meshes)" }),
    ),
    accelerators: Type.Optional(
      Type.Array(Id, {
        maxItems: 1000,
        description: "accelerators this fabric connects (buildability of composed nodes); absent: any",
      }),
    ),
    max_devices: Type.Optional(PositiveInt("most accelerators one node's fabric connects (buildability)", 1024)),
    domain_devices: Type.Optional(
      PositiveInt(
        "accelerators one fabric domain joins across nodes (a rack-scale NVLink domain, e.g. 72 for GB200 NVL72): " +
          "nodes of one domain exchange over the fabric, not their NICs (docs/cost-model.md N6); absent: one node",
        100000,
      ),
    ),
    ...provenance,
  },
  { additionalProperties: false },
);

export const Nic = Type.Object(
  {
    id: Id,
    name: Type.String({ maxLength: 200 }),
    line_rate_gbit_per_s: Positive("line rate, Gbit/s", 1e5),
    active_w: Positive("typical power, W", 1e4),
    idle_w: NonNegative("idle/standby power, W", 1e4),
    latency_us: Type.Optional(Positive("one-way latency, microseconds", 1e6)),
    price_usd: Type.Optional(Positive("unit price, USD", 1e7)),
    ...provenance,
  },
  { additionalProperties: false },
);

export const Storage = Type.Object(
  {
    id: Id,
    name: Type.String({ maxLength: 200 }),
    random_read_iops_4k: Positive("4 KiB random-read IOPS", 1e9),
    sequential_read_gb_per_s: Positive("sequential read, GB/s", 1e4),
    page_bytes: PositiveInt("read granularity, bytes", 1 << 24),
    active_w: Positive("active power, W", 1e4),
    idle_w: NonNegative("idle power, W", 1e4),
    price_usd: Type.Optional(Positive("unit price, USD", 1e7)),
    ...provenance,
  },
  { additionalProperties: false },
);

export const SystemKind = Type.Enum(["gpu-server", "cpu-server", "scale-up", "ps-node"]);
/** A node: a chassis with its parts, named by catalog ids. Specs may compose one inline with the same fields. */
export const SystemFields = {
  name: Type.Optional(Type.String({ maxLength: 200 })),
  kind: Type.Optional(SystemKind),
  accelerator: Type.Optional(CatalogId("accelerators")),
  accelerators_per_node: Type.Integer({
    minimum: 0,
    maximum: 1024,
    description: "accelerators per node (0: CPU-only)",
  }),
  fabric: CatalogId("links", "scale-up fabric between the node's accelerators: a links id"),
  host_link: Type.Optional(CatalogId("links", "accelerator-host link: a links id")),
  gpus_per_host_link: Type.Optional(PositiveInt("accelerators sharing one host-link uplink", 64)),
  host_cpu: CatalogId("cpus"),
  cpu_sockets: PositiveInt("CPU sockets per node", 64),
  host_memory_gb: Positive("host DRAM per node, GB", 1e8),
  nic: CatalogId("nics"),
  nics_per_node: PositiveInt("compute NICs per node", 64),
  ssd: Type.Optional(CatalogId("storage")),
  ssds_per_node: Type.Optional(Type.Integer({ minimum: 0, maximum: 256 })),
  max_power_w: Type.Optional(Positive("rated maximum node power, W", 1e6)),
  price_usd: Type.Optional(Positive("node price, USD", 1e9)),
  cloud_usd_per_node_hour: Type.Optional(Positive("cloud price of one node, USD per hour", 1e6)),
};
export const System = Type.Object(
  { id: Id, ...SystemFields, name: Type.String({ maxLength: 200 }), kind: SystemKind, ...provenance },
  { additionalProperties: false },
);

export const TableGroup = Type.Object(
  {
    count: PositiveInt("tables in this group", 1e6),
    rows: Type.Optional(PositiveInt("rows per table (give rows or size_gb, not both)", 1e13)),
    size_gb: Type.Optional(
      Positive(
        "size of one table's weights in GB (1e9 bytes), instead of rows: rows = max(1, round(size_gb x 1e9 / (dim x " +
          "bytes per element of the workload's embedding precision))); a swept embedding_dim or embedding_precision " +
          "keeps the size and changes the rows",
        1e7,
      ),
    ),
    pooling: Positive("lookups per table per sample", 1e5),
    zipf_alpha: Type.Number({ minimum: 0, maximum: 5, description: "access skew as a Zipf exponent (0 = uniform)" }),
    dim: Type.Optional(PositiveInt("embedding dim of this group (default: the model's)", 65536)),
  },
  { additionalProperties: false },
);
export const Interaction = Type.Object(
  {
    kind: Type.Enum(["dot", "dcnv2", "cat"]),
    cross_layers: Type.Optional(PositiveInt("DCNv2 cross layers", 64)),
    low_rank: Type.Optional(PositiveInt("DCNv2 low rank", 65536)),
  },
  { additionalProperties: false },
);
export const ModelFields = {
  name: Type.Optional(Type.String({ maxLength: 200 })),
  dense_features: Type.Integer({ minimum: 0, maximum: 1e6 }),
  bottom_mlp: Type.Array(PositiveInt("layer width", 1e6), {
    maxItems: 64,
    description: "bottom MLP layer widths (input is dense_features)",
  }),
  top_mlp: Type.Array(PositiveInt("layer width", 1e6), {
    minItems: 1,
    maxItems: 64,
    description: "top MLP layer widths (input is the interaction output)",
  }),
  embedding_dim: PositiveInt("embedding dim", 65536),
  interaction: Interaction,
  optimizer: Type.Enum(["sgd", "adagrad", "rowwise-adagrad", "adam"]),
  samples_per_epoch: Type.Optional(PositiveInt("training samples per epoch", 1e15)),
  tables: Type.Array(TableGroup, { minItems: 1, maxItems: 10000 }),
};
export const Model = Type.Object(
  { id: Id, ...ModelFields, name: Type.String({ maxLength: 200 }), ...provenance },
  { additionalProperties: false },
);

/** A provider's published rate for an accelerator (per accelerator-hour) or a catalog system (per node-hour). */
export const CloudRate = Type.Object(
  {
    accelerator: Type.Optional(CatalogId("accelerators")),
    system: Type.Optional(CatalogId("systems")),
    usd_per_accelerator_hour: Type.Optional(Positive("USD per accelerator-hour", 1e4)),
    usd_per_node_hour: Type.Optional(Positive("USD per node-hour (a catalog system)", 1e6)),
    instance: Type.Optional(Type.String({ maxLength: 100, description: "the provider's instance or offer name" })),
    ref: Type.String({ minLength: 1, maxLength: 500, description: "where the figure was read" }),
    date: Type.String({ pattern: "^\\d{4}(-\\d{2}(-\\d{2})?)?$", description: "when the figure was read or dated" }),
    notes: Type.Optional(Notes),
  },
  { additionalProperties: false },
);

/** The rates of one provider and pricing tier: a cloud comparison never mixes providers or tiers. */
export const CloudProvider = Type.Object(
  {
    id: Id,
    name: Type.String({ maxLength: 200 }),
    tier: Type.String({ maxLength: 60, description: "pricing tier, e.g. on-demand" }),
    region: Type.Optional(Type.String({ maxLength: 60 })),
    rates: Type.Array(CloudRate, { maxItems: 10000 }),
    notes: Type.Optional(Notes),
  },
  { additionalProperties: false },
);

export const Tco = Type.Object(
  {
    id: Id,
    pue: Type.Number({ minimum: 1, maximum: 5 }),
    electricity_usd_per_kwh: Positive("electricity price, USD/kWh", 100),
    amortization_years: Positive("hardware life, years", 100),
    server_cost_to_accelerator_cost_ratio: Positive("node price / accelerator price", 100),
    dram_usd_per_gb: Positive("DRAM price, USD/GB", 1e4),
    chassis_overhead_fraction: NonNegative("fans, PSU losses, switches as a share of component power", 10),
    switch_port_w: NonNegative("network switch power per port, W", 1e4),
    switch_port_usd: NonNegative("network switch price per port, USD", 1e7),
    cloud_usd_per_accelerator_hour: Type.Optional(
      Type.Record(Id, Positive("USD per accelerator-hour", 1e4), {
        description: "legacy: one rate per accelerator without a provider; used only when no cloud_providers exist",
      }),
    ),
    cloud_providers: Type.Optional(Type.Array(CloudProvider, { maxItems: 100 })),
    default_cloud_provider: Type.Optional(Id),
    ...provenance,
  },
  { additionalProperties: false },
);

export type Accelerator = Static<typeof Accelerator>;
export type Cpu = Static<typeof Cpu>;
export type Link = Static<typeof Link>;
export type Nic = Static<typeof Nic>;
export type Storage = Static<typeof Storage>;
export type System = Static<typeof System>;
export type TableGroup = Static<typeof TableGroup>;
export type Model = Static<typeof Model>;
export type Tco = Static<typeof Tco>;
export type CloudProvider = Static<typeof CloudProvider>;
export type CloudRate = Static<typeof CloudRate>;
export { CATALOG_KINDS, type CatalogKind } from "./vocab.ts";
