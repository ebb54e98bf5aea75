// Efficiency parameters of the cost model. Their values are fitted by `recsweep calibrate` and committed in
// hardware/fit/fit.json with provenance; PRIOR_PARAMS are the physically motivated starting values of that fit.
export interface ModelParams {
  /** peak share a large GEMM reaches on an accelerator (eq. C1) */
  gpu_gemm_eff_max: number;
  /** peak share a large GEMM reaches on an accelerator's matrix engines: tf32, fp16, bf16, fp8 (eq. C1) */
  tensor_gemm_eff_max: number;
  /** GEMM rows (local batch) at which an accelerator GEMM reaches half of gpu_gemm_eff_max (eq. C1) */
  gpu_gemm_half_rows: number;
  cpu_gemm_eff_max: number;
  /** GEMM rows at which a CPU GEMM reaches half of cpu_gemm_eff_max (eq. C1) */
  cpu_gemm_half_rows: number;
  /** peak share of HBM bandwidth a gather of long rows reaches (eq. E1) */
  hbm_gather_eff_max: number;
  /** row size in bytes at which a gather reaches half of its maximum efficiency (eq. E1) */
  gather_half_row_bytes: number;
  /** share of the host-link rate that GPU reads of host memory (UVM) reach for long rows (eq. E3) */
  host_link_eff: number;
  host_gather_half_row_bytes: number;
  /** share of DRAM bandwidth that CPU embedding software reaches in its gathers (eq. E5, E9; never GPU reads) */
  cpu_gather_eff: number;
  /** share of DRAM bandwidth random row reads by devices over the host link reach at the DRAM side (eq. E3) */
  dram_random_eff: number;
  /** share of the accelerator fabric rate collectives reach (eq. N1, N2) */
  fabric_eff: number;
  /** share of the host-link rate peer traffic staged through host memory reaches (eq. N4) */
  staged_eff: number;
  /** share of the NIC line rate collectives reach (eq. N1, N2) */
  nic_eff: number;
  /** share of the overlappable compute that hides communication (eq. T1) */
  overlap: number;
  /** times each activation element crosses device memory per iteration, forward and backward (eq. C3) */
  activation_passes: number;
  /** latency of one hop of a collective inside a node, after the call's base latency (eq. N1, N2) */
  collective_latency_s: number;
  /** extra time share for throughput figures that include periodic evaluation (calibration only) */
  eval_overhead_fraction: number;
  /** device time per kernel beyond its work: launch gap, ramp-up, tail (eq. F1) */
  kernel_time_s: number;
  /** host time to issue one operator from an eager (Python) framework (eq. F2) */
  host_op_eager_s: number;
  /** host time to issue one operator from a C++ runtime or compiled graph (eq. F2) */
  host_op_cpp_s: number;
  /**
   * per software release, its maturity m in (0, 1] (eq. S2): the share of the hardware terms' rate the release
   * reaches. Never above 1; no per-stack fixed time (the fixed costs are eq. F1/K2, from the stack's descriptor).
   */
  software: Record<string, SoftwareFit>;
}

export interface SoftwareFit {
  efficiency: number;
}
export const DEFAULT_SOFTWARE = "hugectr";

export const PRIOR_PARAMS: ModelParams = {
  gpu_gemm_eff_max: 0.7,
  tensor_gemm_eff_max: 0.7,
  gpu_gemm_half_rows: 64,
  cpu_gemm_eff_max: 0.6,
  cpu_gemm_half_rows: 16,
  hbm_gather_eff_max: 0.8,
  gather_half_row_bytes: 64,
  host_link_eff: 0.7,
  host_gather_half_row_bytes: 32,
  cpu_gather_eff: 0.5,
  dram_random_eff: 0.5,
  fabric_eff: 0.7,
  nic_eff: 0.8,
  staged_eff: 0.5,
  overlap: 0.5,
  activation_passes: 6,
  collective_latency_s: 2e-6,
  eval_overhead_fraction: 0.1,
  kernel_time_s: 7e-6,
  host_op_eager_s: 20e-6,
  host_op_cpp_s: 3e-6,
  software: {
    hugectr: { efficiency: 0.9 },
    pytorch: { efficiency: 0.9 },
    tensorflow: { efficiency: 0.9 },
    torchrec: { efficiency: 0.9 },
    // the reference implementation of the DLRM paper: far below the optimised stacks (calibration.md, ranges)
    caffe2: { efficiency: 0.3 },
  },
};

/** Frameworks described as another (Caffe2 was merged into PyTorch): same descriptor, own fitted maturity. */
export const FRAMEWORK_ALIASES: Record<string, string> = { caffe2: "pytorch" };

/** eq. S2: release dates (year.fraction) of the software releases rows name, to find a framework's latest release. */
export const RELEASE_DATES: Record<string, number> = {
  "v0.7": 2020.5,
  "v1.0": 2021.4,
  "v1.1": 2021.9,
  "v2.0": 2022.5,
  "v2.1": 2022.9,
  "v3.0": 2023.5,
  "v3.1": 2023.9,
  "v4.0": 2024.5,
  "v4.1": 2024.9,
  "v5.0": 2025.5,
  "dle-2020": 2020.3,
  "dle-2021": 2021.5,
  "dle-2022": 2022.1,
};

/**
 * A release's fitted maturity (eq. S2). A release the fit has no rows of gets the maturity of its framework's
 * fitted releases nearest in time (interpolated by date between the one before and the one after): software
 * matures with time, and a neighbour in time is the best evidence there is. Then the framework's latest fitted
 * release, its catch-all `@other`, and 1 for a framework the fit has never seen.
 */
export function softwareFit(p: ModelParams, name: string): SoftwareFit {
  const base = name;
  const exact = p.software[base];
  if (exact) return exact;
  const [fw, release] = base.split("@") as [string, string | undefined];
  const t = release === undefined ? undefined : RELEASE_DATES[release];
  if (t !== undefined) {
    let before: [number, number] | undefined, after: [number, number] | undefined;
    for (const [key, v] of Object.entries(p.software)) {
      const [f, r] = key.split("@");
      const d = f === fw && r !== undefined ? RELEASE_DATES[r] : undefined;
      if (d === undefined) continue;
      if (d <= t && (!before || d > before[0])) before = [d, v.efficiency];
      if (d >= t && (!after || d < after[0])) after = [d, v.efficiency];
    }
    if (before && after && after[0] > before[0]) {
      const w = (t - before[0]) / (after[0] - before[0]);
      return { efficiency: before[1] + w * (after[1] - before[1]) };
    }
    if (before || after) return { efficiency: (before ?? after)![1] };
  }
  return p.software[fw] ?? p.software[`${fw}@other`] ?? { efficiency: 1 };
}
