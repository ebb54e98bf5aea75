// The point columns the report carries: the sample it inlines (report/data.ts) and its frontier table
// (client/other.ts) both start with these, so the two cannot drift apart.
export const POINT_FIELDS = [
  "workload",
  "system",
  "nodes",
  "embedding_placement",
  "ps_nodes",
  "batch_size",
  "precision",
  "throughput_samples_per_s",
  "power_w",
  "cost_usd_per_hour",
  "samples_per_joule",
  "samples_per_usd",
  "bottleneck",
] as const;
