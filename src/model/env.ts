// The job environment of a sweep or a measured job: what is the same for every point it scores (the parameter-server
// and reader node, TCO figures, constraints, the software stack). Built once; read-only.
import type { NodeModel } from "./node.ts";
import type { SoftwareStack } from "./software.ts";
import type { Tco } from "../schema/catalog.ts";

export interface JobEnv {
  /** the node type of parameter servers (E9) and readers (D2) */
  readonly psNode: NodeModel;
  /** the IT power's multiplier (P4) */
  readonly pue: number;
  /** eq. K1 */
  readonly electricityUsdPerKwh: number;
  readonly amortizationYears: number;
  /** true: cloud hourly rates; false: amortised capital + energy (eq. K1) */
  readonly cloudBasis: boolean;
  /** NaN: each node's own cloud rate */
  readonly cloudUsdPerNodeHourOverride: number;
  /** eq. P2 */
  readonly chassisOverheadFraction: number;
  /** per switch port: watts (P4) and price (K1) */
  readonly switchPortW: number;
  readonly switchPortUsd: number;
  /** constraints: Infinity, Infinity and 0 when there are none */
  readonly powerBudgetW: number;
  readonly maxNodes: number;
  readonly minThroughput: number;
  /** samples of one training run, for the per-run figures; NaN: none */
  readonly samplesToTrain: number;
  /** disaggregated reader nodes (the psNode system) feed the trainers over their NICs (eq. D1, D2) */
  readonly readers: boolean;
  /** the stack the job runs (eq. S1, S2, F2) */
  readonly software: SoftwareStack;
  /**
   * per VENDORS entry, the vendor's default stack (eq. S3, S4), used instead of `software` when the spec names no
   * stack or `unspecified`; empty when it names one
   */
  readonly vendorStacks: readonly SoftwareStack[];
  /** false when predicting measured jobs: they did run, so capacity only informs, never rejects */
  readonly enforceCapacity: boolean;
}

/**
 * A job environment with the TCO figures, capital cost, no constraints and capacity enforced; callers override what
 * their context decides (a sweep's cost settings and constraints, a measured job's lack of them).
 */
export function jobEnv(tco: Tco, psNode: NodeModel, stack: SoftwareStack, overrides: Partial<JobEnv> = {}): JobEnv {
  return {
    psNode,
    pue: tco.pue,
    electricityUsdPerKwh: tco.electricity_usd_per_kwh,
    amortizationYears: tco.amortization_years,
    cloudBasis: false,
    cloudUsdPerNodeHourOverride: NaN,
    chassisOverheadFraction: tco.chassis_overhead_fraction,
    switchPortW: tco.switch_port_w,
    switchPortUsd: tco.switch_port_usd,
    powerBudgetW: Infinity,
    maxNodes: Infinity,
    minThroughput: 0,
    samplesToTrain: NaN,
    readers: false,
    software: stack,
    vendorStacks: [],
    enforceCapacity: true,
    ...overrides,
  };
}
