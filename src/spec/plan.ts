// The resolved sweep: everything the engine needs, as plain data that can cross to worker threads.
import type { Model, Tco } from "../schema/catalog.ts";
import type { Objective, SweepSpec } from "../schema/spec.ts";
import type { NodeParts } from "../model/node.ts";
import type { ModelAxisValues } from "../model/workload.ts";
import type { IntervalsFile } from "../model/intervals.ts";
import type { ModelParams } from "../model/params.ts";

export interface WorkloadChoice {
  /** display label, e.g. "dlrm-mlperf-v1" or "dlrm-mlperf-v1 embedding_dim=64" */
  label: string;
  model: Model;
  axes: ModelAxisValues;
}

export interface PlacementVariant {
  /** index into PLACEMENTS */
  placement: number;
  /** parameter-server nodes (remote-ps only; 0 otherwise) */
  psNodes: number;
  /** hbm-cache and hbm-split: share of the tables' bytes held in accelerator memory (training.hbm_cache_share);
   *  null: as much as fits (the default, docs/cost-model.md E4, E12); null for every other placement */
  hbmShare: number | null;
}

export interface Plan {
  spec: SweepSpec;
  specHash: string;
  catalogHash: string;
  /** figures of catalog entries replaced by a --catalog file's `overrides:` (recorded in manifest.json) */
  catalogOverrides: Array<{ kind: string; id: string; field: string; from: unknown; to: unknown; sources: string[] }>;
  /** built-in entries a --catalog entry with the same id replaces whole (recorded in manifest.json) */
  catalogReplaced: Array<{ kind: string; id: string }>;
  /** sha256 of the user catalog (--catalog) the plan was resolved with; null: the built-in catalog alone */
  userCatalogHash: string | null;
  fitHash: string;
  params: ModelParams;
  /** the fit's prediction-interval model, measured coverage and parameter draws; null: no intervals */
  intervals: IntervalsFile | null;
  tco: Tco;
  systems: NodeParts[];
  /**
   * per system: 0, or the reason code (model/result.ts) that refuses every point of a composed node that cannot
   * be built (spec/buildable.ts); absent: none refused
   */
  refused?: number[];
  /** per system: the what-if parts it uses (spec/derive.ts); empty or absent: catalog parts only */
  derivedParts?: string[][];
  /** what resolving the spec noted, e.g. node designs that repeat another and are scored once */
  notes?: string[];
  psSystem: NodeParts;
  workloads: WorkloadChoice[];
  /** names of model axes that any workload sweeps, in column order */
  modelAxisNames: string[];
  nodes: number[];
  /** placement variants: each placement once, remote-ps once per parameter-server count, hbm-cache and hbm-split
   *  once per training.hbm_cache_share */
  placements: PlacementVariant[];
  batches: number[];
  precisions: number[];
  objectives: Objective[];
  cloudBasis: boolean;
  /** cloud basis: the one provider and tier whose rates price every node, e.g. "aws on-demand (us-east-1)" */
  cloudProvider: string | null;
  pue: number;
  electricityUsdPerKwh: number;
  amortizationYears: number;
  cloudUsdPerNodeHour: number | null;
  powerBudgetW: number | null;
  maxNodes: number | null;
  minThroughput: number | null;
  samplesToTrain: number | null;
  /** per workload: samples of one training run (training.samples_to_train, else its model's samples_per_epoch);
   *  null: the per-run figures of that workload cannot be computed */
  samplesPerRun: Array<number | null>;
  /** true: disaggregated reader nodes feed the trainers over the network; false: trainers read local storage */
  readers: boolean;
  /** software stack whose fitted efficiency and overhead apply (training.software) */
  software: string;
  writePoints: boolean;
  /** prune blocks that cannot reach the frontier (engine/prune.ts): only when points are not written */
  prune?: boolean;
  writeReport: boolean;
  /** output.points_parquet: every feasible point to points.parquet */
  writeParquet: boolean;
  /** output.columns: the columns of points.parquet, in this order (null: all; points.csv and top-k.csv keep all) */
  columns: string[] | null;
  /** output.top_k: the k best points per workload and objective to top-k.csv (null: none) */
  topK: number | null;
}
