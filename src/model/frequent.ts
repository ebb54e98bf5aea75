// eq. E11: how many rows HugeCTR's hybrid embedding replicates. Its frequent categories are those whose count in
// the statistics batches reaches a threshold set by the communication type; the constants are HugeCTR's defaults
// (NVIDIA-Merlin/HugeCTR, HugeCTR/src/parser.cpp of the v3.x releases: p_dup_max 1/100, max_all_to_all_bandwidth
// 1.9e11, max_all_reduce_bandwidth 1.3e11, efficiency_bandwidth_ratio 1; the MLPerf DLRM configurations of v0.7 to
// v2.1 set none of them) and the threshold's formula that of
// HugeCTR/src/embeddings/hybrid_embedding/calibration_data.cu (calculate_threshold).

/** Largest probability that a frequent row occurs twice in one device's batch, single node (HugeCTR default). */
const P_DUP_MAX = 0.01;

/** HugeCTR's assumed all-to-all over all-reduce bandwidth (1.9e11 / 1.3e11) times its efficiency ratio (1). */
const A2A_OVER_ALLREDUCE = 1.9e11 / 1.3e11;

/**
 * eq. E11: the expected occurrences per sample from which a row is frequent, for a global batch `batch` on `nodes`
 * nodes of `devices` devices each.
 * - One node (NVLink_SingleNode): rows likely enough to occur twice in a device's batch of M = batch / devices
 *   samples: q = sqrt(2 p_dup / (M (M - 1))), from p_dup ~ M (M - 1) q^2 / 2. No frequent rows when M <= 1.
 * - Several nodes (IB_NVLink, hierarchical or not): q = N^2 / (N - 1) * (a2a / all-reduce bandwidth) / batch, the
 *   count per sample where replicating a row costs its all-reduce no more than its all-to-all would.
 * The threshold does not depend on the hardware's real bandwidths: HugeCTR uses the fixed defaults above.
 */
export function frequentThreshold(batch: number, devices: number, nodes: number): number {
  if (nodes > 1) return ((nodes * nodes) / (nodes - 1)) * (A2A_OVER_ALLREDUCE / batch);
  const m = batch / devices;
  return m > 1 ? Math.sqrt((2 * P_DUP_MAX) / (m * (m - 1))) : Infinity;
}
