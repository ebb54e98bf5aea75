// Physical ranges of the model's parameters (docs/calibration.md, "Parameter ranges"). The fit enforces them as hard
// bounds (a logit or log transform per parameter); `fitted: false` parameters keep their prior value.
import type { ModelParams } from "../model/params.ts";

export interface ParameterRange {
  name: Exclude<keyof ModelParams, "software">;
  lo: number;
  hi: number;
  scale: "unit" | "log";
  fitted: boolean;
  /** why the range is what it is */
  basis: string;
}

export const PARAMETER_RANGES: ParameterRange[] = [
  {
    name: "gpu_gemm_eff_max",
    lo: 0.05,
    hi: 0.9,
    scale: "unit",
    fitted: true,
    basis:
      "a share of the fp32 SIMT peak: operand loads share the issue slots with the FMAs and sustained clocks sit " +
      "below the boost clock the peak assumes, so SGEMM stays below ~90 % [assumption; no sourced micro-benchmark]",
  },
  {
    name: "tensor_gemm_eff_max",
    lo: 0.05,
    hi: 1,
    scale: "unit",
    fitted: true,
    basis: "a share of the matrix-engine peak (tf32, fp16, bf16, fp8)",
  },
  {
    name: "gpu_gemm_half_rows",
    lo: 16,
    hi: 512,
    scale: "log",
    fitted: true,
    basis: "tensor-core thread-block tiles of 64-256 rows (CUTLASS default tile shapes) [assumption]",
  },
  { name: "cpu_gemm_eff_max", lo: 0.02, hi: 1, scale: "unit", fitted: true, basis: "a share of the ISA peak" },
  {
    name: "cpu_gemm_half_rows",
    lo: 4,
    hi: 256,
    scale: "log",
    fitted: false,
    basis: "oneDNN blocks of 16-64 rows [assumption]; no CPU batch sweep identifies it",
  },
  { name: "hbm_gather_eff_max", lo: 0.05, hi: 1, scale: "unit", fitted: true, basis: "a share of HBM bandwidth" },
  {
    name: "gather_half_row_bytes",
    lo: 8,
    hi: 128,
    scale: "log",
    fitted: true,
    basis: "32-B sectors and 64-128-B cache lines: a row shorter than one line wastes the rest [assumption]",
  },
  {
    name: "host_link_eff",
    lo: 0.05,
    hi: 1,
    scale: "unit",
    fitted: false,
    basis: "a share of the link rate; no row isolates UVM reads (prior 0.7)",
  },
  {
    name: "host_gather_half_row_bytes",
    lo: 8,
    hi: 128,
    scale: "log",
    fitted: false,
    basis:
      "GPU reads of host memory in coalesced, aligned 128-B requests nearly fill the PCIe link (Min et al., EMOGI, " +
      "PVLDB 14(2) 2020); prior 32 B: a 128-B row reaches 0.8 of host_link_eff",
  },
  {
    name: "cpu_gather_eff",
    lo: 0.05,
    hi: 1,
    scale: "unit",
    fitted: false,
    basis:
      "random row reads by the sockets, as dram_random_eff [assumption, prior 0.5]: optimised CPU embedding bags " +
      "are memory-bound (Kalamkar et al., SC20: 110x the reference DLRM code on one socket), so an old stack's " +
      "slowness is its maturity (S2), not a memory limit; CPU paths only",
  },
  {
    name: "dram_random_eff",
    lo: 0.05,
    hi: 1,
    scale: "unit",
    fitted: false,
    basis: "DRAM random 64-B line reads reach about half the streaming rate [assumption, prior 0.5]",
  },
  { name: "fabric_eff", lo: 0.05, hi: 1, scale: "unit", fitted: true, basis: "a share of the link rate" },
  {
    name: "staged_eff",
    lo: 0.02,
    hi: 1,
    scale: "unit",
    fitted: true,
    basis: "a share of the host-link rate; identified by 8-GPU PCIe boxes (M013/M014/M222) [and FC-08, not fitted]",
  },
  { name: "nic_eff", lo: 0.05, hi: 1, scale: "unit", fitted: true, basis: "a share of the NIC line rate" },
  { name: "overlap", lo: 0, hi: 1, scale: "unit", fitted: true, basis: "a share of the overlappable compute" },
  {
    name: "activation_passes",
    lo: 3,
    hi: 12,
    scale: "log",
    fitted: true,
    basis: "forward write+read, backward read, gradient write+read, weight-gradient read = 6; fusion lowers it",
  },
  {
    name: "collective_latency_s",
    lo: 0.47e-6,
    hi: 5.7e-6,
    scale: "log",
    fitted: true,
    basis: "per-hop latency over NVLink or PCIe in NCCL's tuning model, 0.47-5.7 us by protocol (src/graph/tuning.cc)",
  },
  {
    name: "eval_overhead_fraction",
    lo: 0,
    hi: 0.3,
    scale: "unit",
    fitted: true,
    basis: "MLPerf evaluation share of end-to-end time (rows with and without evaluation)",
  },
  {
    name: "kernel_time_s",
    lo: 2e-6,
    hi: 2e-5,
    scale: "log",
    fitted: true,
    basis: "launch gap, ramp and tail per kernel: ~20 us round trip of a small PyTorch kernel on V100 (Nsight guide)",
  },
  {
    name: "host_op_eager_s",
    lo: 5e-6,
    hi: 4e-5,
    scale: "log",
    fitted: true,
    basis:
      "5-7 us per small op through PyTorch's Python API with autograd (pytorch/pytorch#41383), plus each op's " +
      "backward node and module call; the TorchRec README's batch-2048 run (~10 ms per step, host-bound) asks ~35 us",
  },
  {
    name: "host_op_cpp_s",
    lo: 1e-6,
    hi: 5e-6,
    scale: "log",
    fitted: true,
    basis: "cudaLaunchKernel 1-3 us from a C++ runtime",
  },
];

/** The software maturity range: never above the hardware terms' rate (eq. S2). */
export const SOFTWARE_EFFICIENCY_RANGE = { lo: 0.3, hi: 1 } as const;

/**
 * Reference implementations, kept for correctness rather than speed, may sit far lower: the 2019 DLRM reference code
 * ran 110x slower on one CPU socket than optimised code (Kalamkar et al., SC20), so its maturity may fall to 0.01.
 */
export const REFERENCE_FRAMEWORKS: readonly string[] = ["caffe2"];
const REFERENCE_EFFICIENCY_RANGE = { lo: 0.01, hi: 1 } as const;

/** The maturity range of a fitted stack key ("hugectr@v1.1", "caffe2@other"). */
export function softwareEfficiencyRange(stack: string): { lo: number; hi: number } {
  return REFERENCE_FRAMEWORKS.includes(stack.split("@")[0]!) ? REFERENCE_EFFICIENCY_RANGE : SOFTWARE_EFFICIENCY_RANGE;
}
