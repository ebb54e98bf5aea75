// Kernel and dispatch floors (docs/cost-model.md section F): the fixed costs of an iteration, per kernel on the
// device and per operator on the host, counted from the model and the stack's descriptor instead of fitted per stack.
import type { ModelParams } from "./params.ts";
import { P_COL, P_HYBRID, P_REPL, P_ROW } from "./placement.ts";
import type { SoftwareStack } from "./software.ts";
import type { WorkloadModel } from "./workload.ts";

/** eq. F1: kernels per GEMM layer: forward GEMM with fused bias and activation, data gradient, weight gradient, bias */
export const KERNELS_PER_LAYER = 4;
/** eq. F1: the rest of a step: interaction forward/backward, loss forward/backward, input copies, optimizer, syncs */
export const KERNELS_OTHER = 10;
/** eq. F1: a fused embedding over all tables: ids, sort/unique, forward, backward, optimizer, exchange packing */
export const KERNELS_FUSED_EMBEDDING = 8;
/** eq. F1: one table handled alone: forward, backward (sort, segment reduce, weight gradient), update */
export const KERNELS_PER_TABLE = 12;
/** eq. F3: of those, the backward's: the id sort, segment offsets and partial sums, the weight gradient */
export const BACKWARD_KERNELS_PER_TABLE = 8;

/** Scratch result: the hot loop creates no objects. */
export interface Floors {
  /** N_k tau_k: device time of the kernels' fixed costs (eq. F1) */
  device: number;
  /** G_proc N_op c_host: host time to issue the step (eq. F2) */
  host: number;
  /** eq. F3: the part of `host` that a synchronising per-table backward keeps from overlapping the device */
  serialHost: number;
  /** eq. F3: the device's part of those tables' backward kernels, with one launch round trip per synchronisation */
  serialDevice: number;
}

/**
 * eq. F1, F2 for one device of a job of P devices (G per node) with the given placement. Tables a stack handles
 * one by one cost kernels each; placements that shard every table over all devices put every table on each, and
 * `splitTables` of them are split so (hbm-mixed, eq. E2m; 0 otherwise).
 */
export function kernelFloors(
  out: Floors,
  w: WorkloadModel,
  placement: number,
  G: number,
  P: number,
  splitTables: number,
  sw: SoftwareStack,
  p: ModelParams,
): Floors {
  const everyTable = placement === P_ROW || placement === P_COL || placement === P_REPL || placement === P_HYBRID;
  // hbm-mixed: its whole tables spread over the devices, its split ones on every device (eq. E2m)
  const tablesHere = everyTable ? w.tables : Math.ceil((w.tables - splitTables) / P) + splitTables;
  const gemmLayers = w.layerIn.length + (w.interactionFlopPerSample > 0 ? 1 : 0);
  const nk =
    KERNELS_PER_LAYER * gemmLayers +
    KERNELS_OTHER +
    (sw.fusedEmbedding ? KERNELS_FUSED_EMBEDDING : KERNELS_PER_TABLE * tablesHere);
  out.device = nk * p.kernel_time_s;
  // eq. F2: one host operator per kernel, plus the stack's per-feature input handling, which every device does for
  // every table (the input distribution splits all features); one process driving G devices issues all of theirs
  const processDevices = sw.singleProcess ? G : 1;
  out.host = processDevices * (nk + sw.hostOpsPerTable * w.tables) * sw.hostOpS;
  // eq. F3: a table whose backward reads a count back from the device (a synchronisation) cannot be issued ahead:
  // its backward operators on the host and its kernels on the device run one after the other
  const syncedTables = sw.backwardSyncsPerTable > 0 && !sw.fusedEmbedding ? tablesHere : 0;
  out.serialHost = processDevices * syncedTables * BACKWARD_KERNELS_PER_TABLE * sw.hostOpS;
  out.serialDevice = syncedTables * (BACKWARD_KERNELS_PER_TABLE + sw.backwardSyncsPerTable) * p.kernel_time_s;
  return out;
}

/**
 * kernelFloors for the hot loop. Its inputs change only from one block of points to the next (workload, placement,
 * devices, stack and parameters; splitTables with hbm-mixed's plan), not with the batch or precision, so the last
 * result is kept and recomputed when an input differs (about 5 % of the raw loop's time, measured). Inputs are
 * compared by identity: callers never change a workload, stack or parameter object in place (the fit clones).
 */
export class FloorsMemo {
  readonly floors: Floors = { device: 0, host: 0, serialHost: 0, serialDevice: 0 };
  private w: WorkloadModel | null = null;
  private sw: SoftwareStack | null = null;
  private p: ModelParams | null = null;
  private placement = -1;
  private G = -1;
  private P = -1;
  private splitTables = -1;

  get(
    w: WorkloadModel,
    placement: number,
    G: number,
    P: number,
    splitTables: number,
    sw: SoftwareStack,
    p: ModelParams,
  ): Floors {
    if (
      w !== this.w ||
      placement !== this.placement ||
      G !== this.G ||
      P !== this.P ||
      splitTables !== this.splitTables ||
      sw !== this.sw ||
      p !== this.p
    ) {
      kernelFloors(this.floors, w, placement, G, P, splitTables, sw, p);
      this.w = w;
      this.placement = placement;
      this.G = G;
      this.P = P;
      this.splitTables = splitTables;
      this.sw = sw;
      this.p = p;
    }
    return this.floors;
  }
}
