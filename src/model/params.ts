// Efficiency parameters of the cost model. Their values are fitted by `recsweep calibrate` and committed in
// hardware/fit/fit.json with provenance; PRIOR_PARAMS are the physically motivated starting values of that fit.
export interface ModelParams {
  /** peak share a large GEMM reaches on an accelerator (eq. C1) */
  gpu_gemm_eff_max: number;
  /** layer forward GFLOP per device at which an accelerator GEMM reaches half of gpu_gemm_eff_max (eq. C1) */
  gpu_gemm_half_gflop: number;
  cpu_gemm_eff_max: number;
  cpu_gemm_half_gflop: number;
  /** peak share of HBM bandwidth a gather of long rows reaches (eq. E1) */
  hbm_gather_eff_max: number;
  /** row size in bytes at which a gather reaches half of its maximum efficiency (eq. E1) */
  gather_half_row_bytes: number;
  /** share of the host-link rate that GPU reads of host memory (UVM) reach for long rows (eq. E3) */
  host_link_eff: number;
  host_gather_half_row_bytes: number;
  /** share of DRAM bandwidth that CPU embedding gathers reach (eq. E5) */
  cpu_gather_eff: number;
  /** share of the accelerator fabric rate collectives reach (eq. N1, N2) */
  fabric_eff: number;
  /** share of the NIC line rate collectives reach (eq. N1, N2) */
  nic_eff: number;
  /** share of the overlappable compute that hides communication (eq. T1) */
  overlap: number;
  /** times each activation element crosses device memory per iteration, forward and backward (eq. C3) */
  activation_passes: number;
  /** latency of one collective step inside a node (eq. N1, N2) */
  collective_latency_s: number;
  /** extra time share for throughput figures that include periodic evaluation (calibration only) */
  eval_overhead_fraction: number;
  /**
   * per software stack (eq. T1): `efficiency` divides the modelled work, `overhead_s` is the fixed time per
   * iteration (launches, framework, synchronisation). Sweeps use training.software (default "hugectr").
   */
  software: Record<string, SoftwareStack>;
}

export interface SoftwareStack {
  efficiency: number;
  overhead_s: number;
}
export const DEFAULT_SOFTWARE = "hugectr";

export const PRIOR_PARAMS: ModelParams = {
  gpu_gemm_eff_max: 0.7,
  gpu_gemm_half_gflop: 0.5,
  cpu_gemm_eff_max: 0.6,
  cpu_gemm_half_gflop: 0.01,
  hbm_gather_eff_max: 0.8,
  gather_half_row_bytes: 64,
  host_link_eff: 0.7,
  host_gather_half_row_bytes: 256,
  cpu_gather_eff: 0.5,
  fabric_eff: 0.7,
  nic_eff: 0.8,
  overlap: 0.5,
  activation_passes: 6,
  collective_latency_s: 10e-6,
  eval_overhead_fraction: 0.1,
  software: {
    hugectr: { efficiency: 1, overhead_s: 0.0005 },
    pytorch: { efficiency: 0.7, overhead_s: 0.002 },
    tensorflow: { efficiency: 0.6, overhead_s: 0.003 },
    torchrec: { efficiency: 0.6, overhead_s: 0.003 },
    unspecified: { efficiency: 0.6, overhead_s: 0.002 },
  },
};

/** Calibration-file framework names that share a fitted stack (Caffe2 was merged into PyTorch). */
export const FRAMEWORK_ALIASES: Record<string, string> = { caffe2: "pytorch" };

export function softwareStack(p: ModelParams, name: string): SoftwareStack | undefined {
  return p.software[FRAMEWORK_ALIASES[name] ?? name];
}
