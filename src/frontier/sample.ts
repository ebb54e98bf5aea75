// The plotting sample: a deterministic, split-independent choice of design points to draw as a cloud.

/** Plotting sample size the report aims for. */
export const SAMPLE_TARGET = 4000;

/**
 * Candidates for the plotting sample in [start, end): one index in each block of `stride` = total / SAMPLE_TARGET
 * indices, at an offset hashed from the block number (so the sample spreads over every axis, not one stride apart).
 * A pure function of the index, so the sample is the same whatever the split; about SAMPLE_TARGET candidates in all,
 * of which the feasible ones are kept.
 */
export function sampleCandidates(start: number, end: number, total: number): number[] {
  const stride = Math.max(1, Math.floor(total / SAMPLE_TARGET));
  const out: number[] = [];
  for (let block = Math.floor(start / stride); block * stride < end; block++) {
    const i = block * stride + ((Math.imul(block, 2654435761) >>> 0) % stride);
    if (i >= start && i < end) out.push(i);
  }
  return out;
}
