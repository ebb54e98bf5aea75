// Builds the job a measurement row describes from catalog parts. Empty host CPU, NIC or batch fields fall back
// to the documented defaults below; a row that cannot be built gets a reason instead of a job.
import type { Catalog } from "../catalog/load.ts";
import type { NodeParts } from "../model/node.ts";
import { PLACEMENT_INDEX } from "../model/placement.ts";
import type { Placement } from "../schema/vocab.ts";
import { FRAMEWORK_ALIASES } from "../model/params.ts";
import { RELEASE_DATES } from "../model/params.ts";
import { describeStack, STACKS, VENDOR_DEFAULT_STACK, vendorOf } from "../model/software.ts";

export { RELEASE_DATES };
import type { Cpu, Model } from "../schema/catalog.ts";
import { PRECISIONS, type Precision } from "../schema/vocab.ts";
import type { MeasurementRow } from "./measurements.ts";

/** Defaults for fields a row leaves empty (docs/calibration.md lists them). */
export const ROW_DEFAULTS = {
  /** host CPU by accelerator generation: the DGX host of that generation */
  hostCpuByAccelerator: [
    ["v100", "xeon-platinum-8168"],
    ["a100", "epyc-7742"],
    ["h100", "xeon-platinum-8480c"],
    ["h200", "xeon-platinum-8480c"],
    ["b200", "xeon-platinum-8570"],
    ["gb200", "neoverse-v2"],
  ] as Array<[string, string]>,
  hostCpuOther: "xeon-platinum-8380",
  cpusPerNode: 2,
  hostMemoryGb: 1024,
  nic: "cx5-edr-100",
  nicsPerNode: 1,
  globalBatch: 65536,
  precision: "fp32" as Precision,
};

const NIC_BY_RATE: Record<string, string> = {
  "25": "eth-25gbe",
  "100": "cx5-edr-100",
  "200": "cx6-hdr-200",
  "400": "cx7-ndr-400",
};

export interface RowJob {
  parts: NodeParts;
  nodes: number;
  model: Model;
  modelAxes: { embedding_precision?: string };
  /** placements to try: a measured HBM run is predicted with the best HBM sharding, as frameworks' planners choose */
  placements: number[];
  batch: number;
  precision: number;
  /** software stack key: framework, plus the MLPerf round for HugeCTR (see stackOf) */
  software: string;
  framework: string;
  includesEval: boolean;
  /** the row named no framework: the stack is the vendor's own by rule (eq. S4) */
  softwareInferred: boolean;
  /** what the job assumed that the row does not say (shown in validate's status) */
  assumed: string[];
}

const HBM_SHARDINGS = [
  PLACEMENT_INDEX["hbm-table-wise"],
  PLACEMENT_INDEX["hbm-row-wise"],
  PLACEMENT_INDEX["hbm-column-wise"],
  PLACEMENT_INDEX["hbm-hybrid"],
  PLACEMENT_INDEX["hbm-mixed"],
];

/**
 * The software release a row ran: its MLPerf round, or its DeepLearningExamples release, else "other". The same
 * hardware ran 1.6x faster from one release to the next (software maturity), so a release with at least two
 * systems in the data gets a stack of its own ("hugectr@v1.1"); see fit.ts.
 */
export function stackOf(row: Pick<MeasurementRow, "framework" | "notes">): string {
  const base = row.framework;
  if (base === "unspecified") return "unspecified";
  const round = /MLPerf Training (v\d+\.\d+)/.exec(row.notes)?.[1];
  const dle = /initial release \(Apr 2020\)/.test(row.notes)
    ? "dle-2020"
    : /2021 release/.test(row.notes)
      ? "dle-2021"
      : /Jan 2022/.test(row.notes)
        ? "dle-2022"
        : undefined;
  return `${base}@${round ?? dle ?? "other"}`;
}

export type Resolved = { job: RowJob } | { unresolved: string };

/** Catalog link of a row's `intra_node_fabric` for its accelerator; undefined: not a known fabric name. */
export function fabricFor(row: MeasurementRow, accId: string, hostLinkId: string | undefined): string | undefined {
  const a100Board = accId.startsWith("a100") || accId.startsWith("a800"); // N3: the A800 sits on A100 boards
  switch (row.intra_node_fabric) {
    case "nvswitch":
      if (accId.startsWith("gb200")) return "nvlink5-nvl72";
      if (accId.startsWith("b200") || accId.startsWith("b100")) return "nvlink5-nvswitch-8gpu";
      if (accId.startsWith("v100")) return "nvswitch1";
      return a100Board ? "nvswitch2" : "nvswitch3"; // the H800 on the H100's
    case "nvlink-mesh":
      return "nvlink2-hybrid-cube-mesh";
    case "nvlink-direct":
      if (accId.startsWith("h100-nvl")) return "nvlink4-bridge-h100-nvl";
      if (accId.startsWith("h200-nvl")) return "nvlink4-bridge-h200-nvl";
      return a100Board ? "nvlink3-direct-4gpu" : "nvswitch3";
    case "pcie":
      return hostLinkId;
    case "none":
    case "":
      return "none";
    default:
      return undefined;
  }
}

/**
 * Cards per x16 host link of a PCIe box, which a measurement row does not state: one where the host CPUs have an x16
 * root port for every card and one more for the NIC (direct attach: 2 x 80 lanes of Sapphire Rapids for 8 cards),
 * else two behind each switch uplink (2 x 48 lanes of Cascade Lake cannot attach 8 cards directly). Servers come in
 * both layouts (direct attach vs PCIe switch; in ASUS's ESC8000A-E13P the "P" marks the switched one, per
 * servethehome.com/asus-esc8000a-e13p-review-an-8x-pcie-gpu-nvidia-amd-epyc-server/3); the rule takes the layout the
 * host's lanes allow without a switch.
 */
function cardsPerHostLink(cards: number, cpu: Cpu, sockets: number): number {
  if (cpu.pcie_lanes === undefined) return 2;
  return cpu.pcie_lanes * sockets >= UPLINK_X16_LANES * (cards + 1) ? 1 : 2;
}

/** Lanes of an x16 link. */
const UPLINK_X16_LANES = 16;

function hostLinkFor(gbPerS: number | undefined): string | undefined {
  if (gbPerS === undefined) return undefined;
  return gbPerS >= 60 ? "pcie5-x16" : gbPerS >= 30 ? "pcie4-x16" : "pcie3-x16";
}

function modelFor(row: MeasurementRow, cat: Catalog): Model | undefined {
  if (row.model === "dcnv2-dle-tf2")
    return cat.models.get(/tables=large/.test(row.notes) ? "dcnv2-dle-tf2-large" : "dcnv2-dle-tf2-small");
  const model = cat.models.get(row.model);
  // The TorchRec example runs with a DCN v2 interaction in some rows (its defaults: 3 layers, low rank 512).
  if (model && /interaction=dcnv2/.test(row.notes))
    return { ...model, interaction: { kind: "dcnv2", cross_layers: 3, low_rank: 512 } };
  return model;
}

export function resolveRow(row: MeasurementRow, cat: Catalog, stacks: readonly string[]): Resolved {
  const cpuOnly = row.accelerator === "" || row.accelerators_per_node === "0";
  const acc = cpuOnly ? undefined : cat.accelerators.get(row.accelerator);
  if (!cpuOnly && !acc) return { unresolved: `accelerator '${row.accelerator}' is not in the catalog` };
  const model = modelFor(row, cat);
  if (!model)
    return { unresolved: row.model === "micro" ? "micro-benchmark row" : `model '${row.model}' is not in the catalog` };
  const defaultCpu = acc
    ? (ROW_DEFAULTS.hostCpuByAccelerator.find(([p]) => acc.id.startsWith(p))?.[1] ?? ROW_DEFAULTS.hostCpuOther)
    : ROW_DEFAULTS.hostCpuOther;
  const cpuId = row.host_cpu || defaultCpu;
  // A GPU node's host CPU that the catalog lacks is replaced by its generation's default host (it feeds the GPUs
  // but rarely bounds them); a CPU-only row needs its own CPU.
  const cpu = cat.cpus.get(cpuId) ?? (acc ? cat.cpus.get(defaultCpu) : undefined);
  if (!cpu) return { unresolved: `host CPU '${cpuId}' is not in the catalog` };
  const hostLinkId = hostLinkFor(acc?.host_link_gb_per_s_per_direction);
  const fabricId = acc ? fabricFor(row, acc.id, hostLinkId) : "none";
  if (!fabricId) return { unresolved: `fabric '${row.intra_node_fabric}' is not known` };
  const nicId = row.nic_gbit_per_s ? NIC_BY_RATE[row.nic_gbit_per_s] : ROW_DEFAULTS.nic;
  if (!nicId) return { unresolved: `no catalog NIC with ${row.nic_gbit_per_s} Gbit/s` };
  const precisionName = (row.precision === "amp" ? "fp16" : row.precision || ROW_DEFAULTS.precision) as Precision;
  const precision = PRECISIONS.indexOf(precisionName);
  if (precision < 0) return { unresolved: `precision '${row.precision}' is not modelled` };
  const placements =
    row.embedding_placement === "hbm"
      ? HBM_SHARDINGS
      : row.embedding_placement === "host-dram"
        ? [PLACEMENT_INDEX[/cach/i.test(row.notes) ? "hbm-cache" : "host-dram"]]
        : row.embedding_placement === "cpu-dram"
          ? [PLACEMENT_INDEX["host-dram"]]
          : row.embedding_placement in PLACEMENT_INDEX
            ? [PLACEMENT_INDEX[row.embedding_placement as Placement]] // a spec's placement, named as in a spec
            : [];
  if (!placements.length)
    return {
      unresolved:
        `placement '${row.embedding_placement}' is not modelled (expected hbm, host-dram, cpu-dram or a spec ` +
        `placement: ${Object.keys(PLACEMENT_INDEX).join(", ")})`,
    };
  // eq. S4: a row that names no framework ran its vendor's own stack (in MLPerf's closed division, the round's
  // reference implementation: HugeCTR of that round on NVIDIA); inferred, never fitted on its own
  // framework names are lower case (HugeCTR is hugectr)
  const framework = row.framework.trim().toLowerCase();
  const named = FRAMEWORK_ALIASES[framework] ?? framework;
  const inferred = named === "unspecified";
  const base = inferred ? VENDOR_DEFAULT_STACK[vendorOf(acc?.name)] : named;
  if (!stacks.includes(base) && !(base in STACKS))
    return { unresolved: `framework '${row.framework}' has no software stack` };
  // a framework described as another (caffe2 as PyTorch, eq. S1) keeps its own name, and so its own maturity (S2)
  const own = inferred ? base : framework;
  const software = stackOf({ framework: own, notes: row.notes });
  // a measured HBM run used one of the shardings its stack offers (hbm-hybrid only where it has hybrid embedding)
  const offered = describeStack(software).hybridEmbedding
    ? placements
    : placements.filter((pl) => pl !== PLACEMENT_INDEX["hbm-hybrid"]);
  const sockets = Number(row.cpus_per_node || ROW_DEFAULTS.cpusPerNode);
  const parts: NodeParts = {
    id: `${row.id}-node`,
    accelerators_per_node: cpuOnly ? 0 : Number(row.accelerators_per_node),
    fabric: cat.links.get(fabricId)!,
    gpus_per_host_link:
      row.intra_node_fabric === "pcie" ? cardsPerHostLink(Number(row.accelerators_per_node), cpu, sockets) : 1,
    cpu,
    cpu_sockets: sockets,
    host_memory_gb: Number(row.host_memory_gb || ROW_DEFAULTS.hostMemoryGb),
    nic: cat.nics.get(nicId)!,
    nics_per_node: Number(row.nics_per_node || ROW_DEFAULTS.nicsPerNode),
    ssds_per_node: 0,
  };
  if (acc) parts.accelerator = acc;
  if (hostLinkId) parts.host_link = cat.links.get(hostLinkId)!;
  // The job's price is irrelevant to throughput; a nominal one keeps the cost terms finite.
  parts.price_usd = 1;
  return {
    job: {
      parts,
      model,
      modelAxes: {},
      placements: offered,
      software,
      framework: own,
      nodes: Number(row.nodes || 1),
      batch: Number(row.global_batch || ROW_DEFAULTS.globalBatch),
      precision,
      includesEval: row.includes_eval === "yes",
      softwareInferred: inferred,
      assumed: [
        ...(cpu.id !== cpuId ? [`host CPU '${cpuId}' is not in the catalog: '${cpu.id}' used`] : []),
        ...(inferred ? [`framework unspecified: '${base}' (the vendor's stack) used`] : []),
      ],
    },
  };
}
