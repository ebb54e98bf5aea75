// Software stacks as a small explicit model (docs/cost-model.md section S): what a stack does that changes time,
// as data with sources, and the one fitted number per release, its maturity m <= 1 (eq. S2). Nothing here is a free
// per-stack time: fixed costs come from the kernels and host operators the descriptor implies (eq. F1, F2).
import { FRAMEWORK_ALIASES, type ModelParams, softwareFit } from "./params.ts";
import { DEFAULT_SOFTWARE } from "../schema/vocab.ts";
import { ACTIVATION_BYTES_PER } from "./units.ts";

/** Accelerator vendors (node.ts derives a node's from its accelerator's name; CPU-only nodes are "cpu"). */
export const VENDORS = ["cpu", "nvidia", "amd", "intel", "other"] as const;
export type Vendor = (typeof VENDORS)[number];

export interface StackDescriptor {
  /** vendors whose devices the stack runs on (eq. S3) */
  vendors: readonly Vendor[];
  /** one fused kernel set for all tables (true) or one embedding operator chain per table (eq. F1) */
  fusedEmbedding: boolean;
  /** the stack offers hybrid embedding: a replicated hot set of the most frequent rows (hbm-hybrid, eq. E11) */
  hybridEmbedding: boolean;
  /** how the host issues operators: an eager Python framework or a C++ runtime / compiled graph (eq. F2) */
  host: "eager" | "cpp";
  /** one process drives every device of a node, so host work grows with the devices (eq. F2) */
  singleProcess: boolean;
  /** host operators per table beyond the kernels (per-feature input handling in Python), eq. F2 */
  hostOpsPerTable: number;
  /** host-device synchronisations in each table's embedding backward (eq. F3): 0 for fused kernels */
  backwardSyncsPerTable: number;
  /** pooled embeddings cross the all-to-all at fp32 whatever the training precision (eq. S1, N1) */
  fp32Exchange: boolean;
  /**
   * half precision covers the MLPs only: the tables stay fp32, so the lookups write and the backward reads the
   * pooled vectors at fp32 (eq. C3, E8; S1)
   */
  fp32Pooled: boolean;
  /** the embedding exchange needs peer access between every pair of devices (eq. N4) */
  p2pRequired: boolean;
  /** the exchange of the next batch overlaps this batch's dense compute (eq. T1's overlap applies) */
  pipelined: boolean;
  /** the bottom MLP runs on the first accelerator over the whole batch, sent on as one more table (eq. C5) */
  bottomMlpOnOneDevice: boolean;
  source: string;
}

/** HugeCTR, the NVIDIA-only C++ stack of the MLPerf submissions; releases differ only where said below. */
const HUGECTR: StackDescriptor = {
  vendors: ["nvidia"],
  fusedEmbedding: true,
  hybridEmbedding: true,
  host: "cpp",
  singleProcess: false,
  hostOpsPerTable: 0,
  backwardSyncsPerTable: 0,
  fp32Exchange: false,
  fp32Pooled: false,
  p2pRequired: true,
  pipelined: true,
  bottomMlpOnOneDevice: false,
  source:
    "NVIDIA-Merlin/HugeCTR README: C++ training framework built on CUDA; fused embedding collections; " +
    "HybridSparseEmbedding (frequent categories data-parallel, the rest model-parallel; docs/python_interface.md)",
};

/** NVIDIA DeepLearningExamples-style PyTorch: fused embedding kernels, one process per GPU. */
const PYTORCH_OPTIMISED: StackDescriptor = {
  // "other": an accelerator of a vendor the catalog does not name (a user's own part) runs this by default (S4)
  vendors: ["nvidia", "amd", "intel", "cpu", "other"],
  fusedEmbedding: true,
  hybridEmbedding: false,
  host: "eager",
  singleProcess: false,
  hostOpsPerTable: 0,
  backwardSyncsPerTable: 0,
  fp32Exchange: false,
  fp32Pooled: false,
  p2pRequired: false,
  pipelined: false,
  bottomMlpOnOneDevice: false,
  source:
    "NVIDIA DeepLearningExamples PyTorch DLRM README: fused embedding kernels, one process per GPU; Intel's MLPerf " +
    "v1.0 CPU submission trains bf16 tables too (split-SGD, Kalamkar et al., SC20)",
};

/**
 * Descriptors by framework or framework@release (a release's entry wins). Sources in docs/cost-model.md section S.
 * `pytorch` is the reference DLRM implementation (dlrm_s_pytorch.py) and eager PyTorch models like it; the
 * releases of NVIDIA's DeepLearningExamples PyTorch DLRM and the MLPerf PyTorch submissions are optimised ones.
 */
export const STACKS: Record<string, StackDescriptor> = {
  hugectr: HUGECTR,
  "hugectr@v0.7": {
    ...HUGECTR,
    hybridEmbedding: false,
    source:
      "HugeCTR of MLPerf v0.7 (2020): its hybrid embedding (HybridSparseEmbedding) came with v3.1 for MLPerf v1.0 " +
      "and was tuned for v1.1 (HugeCTR v3.3 release notes, developer.nvidia.com blog)",
  },
  torchrec: {
    vendors: ["nvidia", "amd"],
    fusedEmbedding: true,
    hybridEmbedding: false,
    host: "eager",
    singleProcess: false,
    hostOpsPerTable: 10,
    backwardSyncsPerTable: 0,
    fp32Exchange: false,
    fp32Pooled: true,
    p2pRequired: false,
    pipelined: true,
    bottomMlpOnOneDevice: false,
    source:
      "pytorch/torchrec README: FBGEMM TBE fused embedding kernels on CUDA and ROCm; one process per GPU; " +
      "tables fp32 unless configured otherwise (torch.autocast leaves embedding lookups in the table's type)",
  },
  tensorflow: {
    vendors: ["nvidia", "cpu"],
    fusedEmbedding: true,
    hybridEmbedding: false,
    host: "cpp",
    singleProcess: false,
    hostOpsPerTable: 0,
    backwardSyncsPerTable: 0,
    fp32Exchange: true,
    fp32Pooled: true,
    p2pRequired: false,
    pipelined: false,
    bottomMlpOnOneDevice: false,
    source:
      "DeepLearningExamples TF2 DLRM and HugeCTR SOK READMEs: XLA-compiled graph, Horovod one process per GPU; " +
      "tables at fp32 under AMP, and the exchanged embeddings are cast to the compute precision only after the " +
      "all-to-all (DLRM_and_DCNv2 doc/DLRM.md, nn/sparse_model.py)",
  },
  pytorch: {
    vendors: ["nvidia", "amd", "intel", "cpu"],
    fusedEmbedding: false,
    hybridEmbedding: false,
    host: "eager",
    singleProcess: true,
    hostOpsPerTable: 0,
    backwardSyncsPerTable: 2,
    fp32Exchange: false,
    fp32Pooled: false,
    p2pRequired: false,
    pipelined: false,
    bottomMlpOnOneDevice: false,
    source:
      "facebookresearch/dlrm dlrm_s_pytorch.py: one nn.EmbeddingBag per table; --use-gpu on several GPUs runs " +
      "one process with replicate/scatter/gather (discuss.pytorch.org/t/66495); the CUDA backward of " +
      "nn.EmbeddingBag reads its segment counts back to the host (.item(), aten/src/ATen/native/cuda/" +
      "EmbeddingBackwardKernel.cu), so every table's backward waits for the device",
  },
  "pytorch@optimised": PYTORCH_OPTIMISED,
  "pytorch@nvidia-hybrid": {
    ...PYTORCH_OPTIMISED,
    bottomMlpOnOneDevice: true,
    fp32Pooled: true,
    source:
      "NVIDIA's hybrid-parallel PyTorch DLRM (DeepLearningExamples releases 2020-2022 and the MLPerf v0.7 " +
      "submission): fused embedding kernels, one process per GPU; on several GPUs the bottom MLP runs on one GPU " +
      "over the whole batch and joins the all-to-all as one more vector (DeepLearningExamples " +
      "dlrm/model/distributed.py: 'bottom MLP is considered as 1 vector'; MLPerf v0.7 NVIDIA " +
      "scripts/dist_train.py: only rank device_mapping['bottom_mlp'] builds the bottom MLP); 'mixed precision " +
      "training with static loss scaling for the bottom and top MLPs while embedding tables are stored in FP32 " +
      "format' (DeepLearningExamples PyTorch DLRM README, Training process)",
  },
};

/** Vendor default stacks when a spec names none or names `unspecified` (eq. S3, S4). */
export const VENDOR_DEFAULT_STACK: Record<Vendor, string> = {
  cpu: "pytorch",
  nvidia: "hugectr",
  amd: "torchrec",
  intel: "pytorch",
  // a part of a vendor the catalog does not know: an optimised stack with fused embedding kernels, as every vendor
  // in the catalog ships one (the reference PyTorch code does not run on it: eq. S3)
  other: "pytorch@optimised",
};

const described = new Map<string, StackDescriptor>();

/** The descriptor of a stack key ("hugectr", "pytorch@dle-2022", ...); memoised (calibration asks per prediction). */
export function describeStack(name: string): StackDescriptor {
  let d = described.get(name);
  if (d === undefined) {
    d = descriptorOf(name);
    described.set(name, d);
  }
  return d;
}

function descriptorOf(name: string): StackDescriptor {
  const [named, rel] = name.split("@") as [string, string | undefined];
  const fw0 = FRAMEWORK_ALIASES[named] ?? named; // eq. S1: a framework described as another (caffe2 as pytorch)
  const base = rel === undefined ? fw0 : `${fw0}@${rel}`;
  const [fw, release] = base.split("@") as [string, string | undefined];
  if (fw === "pytorch" && (release?.startsWith("dle-") || release === "v0.7")) return STACKS["pytorch@nvidia-hybrid"]!;
  if (fw === "pytorch" && release !== undefined && release !== "other") return STACKS["pytorch@optimised"]!;
  return STACKS[base] ?? STACKS[fw] ?? STACKS.pytorch!;
}

/** The resolved stack a job environment carries: descriptor plus fitted maturity and host time per operator. */
export interface SoftwareStack {
  /** m of eq. S2: divides the modelled work */
  efficiency: number;
  fusedEmbedding: boolean;
  /** the stack offers hbm-hybrid (eq. E11, S3) */
  hybridEmbedding: boolean;
  singleProcess: boolean;
  /** c_host of eq. F2 for the stack's host class */
  hostOpS: number;
  /** bit i set: runs on VENDORS[i] (eq. S3) */
  vendorMask: number;
  hostOpsPerTable: number;
  backwardSyncsPerTable: number;
  fp32Exchange: boolean;
  fp32Pooled: boolean;
  p2pRequired: boolean;
  pipelined: boolean;
  bottomMlpOnOneDevice: boolean;
}

export function resolveStack(p: ModelParams, name: string): SoftwareStack {
  const d = describeStack(name);
  let mask = 0;
  for (const v of d.vendors) mask |= 1 << VENDORS.indexOf(v);
  return {
    efficiency: Math.min(1, softwareFit(p, name).efficiency),
    fusedEmbedding: d.fusedEmbedding,
    hybridEmbedding: d.hybridEmbedding,
    singleProcess: d.singleProcess,
    hostOpS: d.host === "eager" ? p.host_op_eager_s : p.host_op_cpp_s,
    vendorMask: mask,
    hostOpsPerTable: d.hostOpsPerTable,
    backwardSyncsPerTable: d.backwardSyncsPerTable,
    fp32Exchange: d.fp32Exchange,
    fp32Pooled: d.fp32Pooled,
    p2pRequired: d.p2pRequired,
    pipelined: d.pipelined,
    bottomMlpOnOneDevice: d.bottomMlpOnOneDevice,
  };
}

/** eq. N1, S1: bytes per pooled-vector element crossing the all-to-all: fp32 where the stack sends so, else `sAct`. */
export function exchangeBytes(stack: SoftwareStack, sAct: number): number {
  return stack.fp32Exchange ? Math.max(sAct, ACTIVATION_BYTES_PER.fp32!) : sAct;
}

/** eq. C3, S1: bytes per pooled-vector element: the tables' fp32 where the stack keeps them so, else `sAct`. */
export function pooledBytes(stack: SoftwareStack, sAct: number): number {
  return stack.fp32Pooled ? Math.max(sAct, ACTIVATION_BYTES_PER.fp32!) : sAct;
}

/**
 * eq. S3: whether `stack` can run a point on a node of vendor index `vendor` (of VENDORS): the stack runs on that
 * vendor's devices, and an hbm-hybrid point (`hybrid`) only where it has hybrid embedding (E11).
 */
export function stackOffers(stack: SoftwareStack, vendor: number, hybrid: boolean): boolean {
  return (stack.vendorMask & (1 << vendor)) !== 0 && (!hybrid || stack.hybridEmbedding);
}

/** Vendor of an accelerator by the first word of its catalog name (NVIDIA, AMD, Intel), documented in the docs. */
export function vendorOf(acceleratorName: string | undefined): Vendor {
  if (acceleratorName === undefined) return "cpu";
  const w = acceleratorName.trim().split(/\s+/)[0]!.toLowerCase();
  return w === "nvidia" ? "nvidia" : w === "amd" ? "amd" : w === "intel" ? "intel" : "other";
}

/** Spec names that mean "the vendor's own stack" for each node (eq. S3, S4). */
export const VENDOR_DEFAULT_NAMES = ["", "unspecified", "vendor-default"];
/** training.software's default: each node runs its vendor's stack. */
export const DEFAULT_SOFTWARE_NAME = DEFAULT_SOFTWARE;
/** Stack names a spec may give besides the fitted releases. */
export const NAMED_STACKS = ["hugectr", "pytorch", "tensorflow", "torchrec", "unspecified", "vendor-default"];

/** The JobEnv fields for a named stack: per-vendor defaults when the name means "the vendor's own" (eq. S4). */
export function softwareEnv(p: ModelParams, name: string): { software: SoftwareStack; vendorStacks: SoftwareStack[] } {
  const byVendor = VENDOR_DEFAULT_NAMES.includes(name);
  return {
    software: resolveStack(p, byVendor ? "hugectr" : name),
    vendorStacks: byVendor ? VENDORS.map((v) => resolveStack(p, VENDOR_DEFAULT_STACK[v])) : [],
  };
}
