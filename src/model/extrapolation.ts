// Which parts of a prediction have measurements behind them (issue 16, docs/calibration.md "Prediction intervals").
// A prediction is described by a few traits (its accelerator, host, software, node shape, scale, placement class and
// precision); a trait is *measured* when some fitted measurement row shares it, else the prediction extrapolates in
// that aspect. Pure: the same functions describe measurement rows (calibrate) and sweep points (output, explain).
import type { NodeParts } from "./node.ts";
import { VENDOR_DEFAULT_NAMES, VENDOR_DEFAULT_STACK, vendorOf } from "./software.ts";

/** The aspects a prediction can extrapolate in, in the order columns and messages list them. */
export const ASPECTS = [
  "accelerator",
  "host",
  "software",
  "release",
  "node_shape",
  "scale",
  "placement",
  "precision",
] as const;
export type Aspect = (typeof ASPECTS)[number];

/** What a prediction is of. `host` is "" when no term of the placement reads host memory or runs on the CPU. */
export interface PredictionTraits {
  /** accelerator id, or `cpu:<cpu id>` for a CPU-only node */
  accelerator: string;
  host: string;
  /** framework (release dropped) x vendor it runs on, e.g. `hugectr/nvidia` */
  software: string;
  /** the software release a row names (`hugectr@v3.0`), "" when only a framework is named (its latest fitted
   *  release runs, eq. S2) */
  release: string;
  /** intra-node fabric kind x devices per node, e.g. `nvswitch x8` */
  nodeShape: string;
  nodes: number;
  /** devices in the whole job (devices per node x nodes) */
  devices: number;
  /** placement class: `hbm` (any sharding of tables held in HBM), `cpu` (CPU-only training), or the placement */
  placement: string;
  precision: string;
}

/** The traits measured rows cover (stored in hardware/fit/intervals.json). */
export interface MeasuredCoverage {
  accelerator: string[];
  host: string[];
  software: string[];
  release: string[];
  node_shape: string[];
  placement: string[];
  precision: string[];
  /** the largest node count and device count of a measured job */
  max_nodes: number;
  max_devices: number;
}

const HBM_PLACEMENTS = new Set([
  "hbm-table-wise",
  "hbm-row-wise",
  "hbm-column-wise",
  "hbm-replicated",
  "hbm-hybrid",
  "hbm-mixed",
]);
/** Placements with a term that reads host DRAM or runs lookups on the host CPU. */
const HOST_PLACEMENTS = new Set(["host-dram", "hbm-cache", "host-cpu-lookup", "remote-ps", "ssd-cached", "auto"]);

/** The framework a stack key names ("hugectr@v3.0" -> "hugectr"); the vendor default stack for default names. */
export function frameworkOn(software: string, parts: NodeParts): string {
  const name = VENDOR_DEFAULT_NAMES.includes(software)
    ? VENDOR_DEFAULT_STACK[vendorOf(parts.accelerator?.name)]
    : software;
  return `${name.split("@")[0]}/${vendorOf(parts.accelerator?.name)}`;
}

/** A placement's class (see PredictionTraits.placement). */
export function placementClass(placement: string, cpuOnly: boolean): string {
  if (cpuOnly) return "cpu";
  return HBM_PLACEMENTS.has(placement) ? "hbm" : placement;
}

/**
 * The traits of a job: a node built from `parts`, `nodes` of them, `software` as a spec or row names it (a release
 * key, a bare framework or a vendor-default name), `placement` and `precision` as vocabulary names.
 */
export function traitsOf(
  parts: NodeParts,
  nodes: number,
  software: string,
  placement: string,
  precision: string,
): PredictionTraits {
  const cpuOnly = !parts.accelerator;
  const perNode = cpuOnly ? 1 : parts.accelerators_per_node;
  return {
    accelerator: parts.accelerator ? parts.accelerator.id : `cpu:${parts.cpu.id}`,
    host: cpuOnly || HOST_PLACEMENTS.has(placement) ? parts.cpu.id : "",
    software: frameworkOn(software, parts),
    release: software.includes("@") ? software : "",
    nodeShape: cpuOnly ? "cpu-only" : `${parts.fabric.kind} x${perNode}`,
    nodes,
    devices: perNode * nodes,
    placement: placementClass(placement, cpuOnly),
    precision,
  };
}

/** The coverage of a set of measured jobs' traits. */
export function coverageOf(traits: readonly PredictionTraits[]): MeasuredCoverage {
  const set = (f: (t: PredictionTraits) => string) => [...new Set(traits.map(f).filter((v) => v !== ""))].sort();
  return {
    accelerator: set((t) => t.accelerator),
    host: set((t) => t.host),
    software: set((t) => t.software),
    release: set((t) => t.release),
    node_shape: set((t) => t.nodeShape),
    placement: set((t) => t.placement),
    precision: set((t) => t.precision),
    max_nodes: Math.max(1, ...traits.map((t) => t.nodes)),
    max_devices: Math.max(1, ...traits.map((t) => t.devices)),
  };
}

/** The aspects in which a prediction with traits `t` goes beyond what `cov` measured, in ASPECTS order. */
export function unmeasuredAspects(t: PredictionTraits, cov: MeasuredCoverage): Aspect[] {
  const out: Aspect[] = [];
  if (!cov.accelerator.includes(t.accelerator)) out.push("accelerator");
  if (t.host !== "" && !cov.host.includes(t.host)) out.push("host");
  if (!cov.software.includes(t.software)) out.push("software");
  if (t.release !== "" && !cov.release.includes(t.release)) out.push("release");
  if (!cov.node_shape.includes(t.nodeShape)) out.push("node_shape");
  if (t.nodes > cov.max_nodes || t.devices > cov.max_devices) out.push("scale");
  if (!cov.placement.includes(t.placement)) out.push("placement");
  if (!cov.precision.includes(t.precision)) out.push("precision");
  return out;
}

/** Aspects of the software a prediction runs; the others are of the hardware and the job's layout. */
export const SOFTWARE_ASPECTS: readonly Aspect[] = ["software", "release"];

/** How many unmeasured aspects a prediction has of each kind (model/intervals.ts weighs the kinds apart). */
export interface AspectCounts {
  hardware: number;
  software: number;
}

export function aspectCounts(unmeasured: readonly Aspect[]): AspectCounts {
  const software = unmeasured.filter((a) => SOFTWARE_ASPECTS.includes(a)).length;
  return { hardware: unmeasured.length - software, software };
}
