// Units of catalog figures, read from the unit suffix every figure's key carries (docs: "units in the key names").

const SUFFIXES: Array<[RegExp, string]> = [
  [/(?:^|_)gb_per_s_per_socket$/, "GB/s per socket"],
  [/(?:^|_)gb_per_s_per_direction$/, "GB/s per direction"],
  [/(?:^|_)gb_per_s_bidirectional$/, "GB/s both directions"],
  [/(?:^|_)gbit_per_s$/, "Gbit/s"],
  [/(?:^|_)gb_per_s$/, "GB/s"],
  [/(?:^|_)gb_per_socket$/, "GB per socket"],
  [/(?:^|_)gb$/, "GB"],
  [/(?:^|_)usd_per_accelerator_hour$/, "USD per accelerator-hour"],
  [/(?:^|_)usd_per_node_hour$/, "USD per node-hour"],
  [/(?:^|_)usd_per_kwh$/, "USD/kWh"],
  [/(?:^|_)usd_per_gb$/, "USD/GB"],
  [/(?:^|_)usd$/, "USD"],
  [/(?:^|_)w$/, "W"],
  [/(?:^|_)ghz$/, "GHz"],
  [/(?:^|_)mt_per_s$/, "MT/s"],
  [/(?:^|_)us$/, "µs"],
  [/^peak_tflops_/, "TFLOPS"],
  [/(?:^|_)iops_4k$/, "IOPS (4 KiB random reads)"],
  [/(?:^|_)bytes$/, "bytes"],
  [/(?:^|_)years$/, "years"],
  [/(?:^|_)fraction$/, "(fraction)"],
  [/(?:^|_)per_cycle_per_core$/, "per cycle per core"],
];

/** The unit of a catalog figure from its key, e.g. memory_bandwidth_gb_per_s -> "GB/s"; "" when the key has none. */
export function unitOf(field: string): string {
  for (const [re, unit] of SUFFIXES) if (re.test(field)) return unit;
  return "";
}

/** A figure with its unit for messages: 3350 GB/s, 0.05 (fraction), 8 cores. */
export function withUnit(field: string, value: unknown): string {
  const unit = unitOf(field);
  return unit ? `${String(value)} ${unit}` : String(value);
}
