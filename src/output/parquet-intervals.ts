// The interval columns of points.parquet by row group: a point's interval factors and unmeasured aspects depend on
// its system, node count, placement, precision and residency only (frontier/intervals.ts), so each row gets the id
// of its combination's uncertainty from a table filled on first use, and the columns are built per id.
import { C, NCOLS } from "../model/result.ts";
import { PointIntervals, type PointUncertainty, residentRow } from "../frontier/intervals.ts";
import { AXIS } from "../space/space.ts";
import type { Plan } from "../spec/plan.ts";

/** Combinations kept in a dense table up to this many; a larger hardware sweep keys a Map. */
const DENSE_LIMIT = 1 << 20;
const UNKNOWN = -2;

export class RowUncertainty {
  /** the distinct uncertainties met on this thread; a row's id indexes this list */
  readonly list: PointUncertainty[] = [];
  private readonly intervals: PointIntervals;
  private readonly ids = new Map<PointUncertainty | null, number>();
  private readonly dense: Int32Array | null;
  private readonly sparse = new Map<number, number>();
  private readonly sizes: [number, number, number, number];

  constructor(plan: Plan) {
    this.intervals = new PointIntervals(plan);
    this.sizes = [plan.systems.length, plan.nodes.length, plan.placements.length, plan.precisions.length];
    const combinations = this.sizes.reduce((a, b) => a * b, 2);
    this.dense = combinations <= DENSE_LIMIT ? new Int32Array(combinations).fill(UNKNOWN) : null;
  }

  /**
   * For rows j < n with coordinates coords[axis][j] and result rows rows[j * NCOLS ..]: each row's uncertainty id
   * (-1: no interval, as when the fit has no interval model or the throughput is not positive) into `ids`, and its
   * throughput into `throughput`.
   */
  fill(coords: Int32Array[], rows: Float64Array, n: number, ids: Int32Array, throughput: Float64Array): void {
    const [, nodes, placements, precisions] = this.sizes;
    const sys = coords[AXIS.system]!,
      nod = coords[AXIS.nodes]!,
      pla = coords[AXIS.embedding_placement]!,
      pre = coords[AXIS.precision]!;
    const d = new Int32Array(coords.length);
    for (let j = 0; j < n; j++) {
      const o = j * NCOLS;
      const t = rows[o + C.throughput_samples_per_s]!;
      throughput[j] = t;
      const resident = residentRow(rows, o);
      const key =
        (((sys[j]! * nodes + nod[j]!) * placements + pla[j]!) * precisions + pre[j]!) * 2 + (resident ? 1 : 0);
      let id = this.dense ? this.dense[key]! : (this.sparse.get(key) ?? UNKNOWN);
      if (id === UNKNOWN) {
        for (let k = 0; k < coords.length; k++) d[k] = coords[k]![j]!;
        id = this.idOf(this.intervals.of(d, resident));
        if (this.dense) this.dense[key] = id;
        else this.sparse.set(key, id);
      }
      ids[j] = t > 0 ? id : -1;
    }
  }

  private idOf(u: PointUncertainty | null): number {
    if (!u) return -1;
    let id = this.ids.get(u);
    if (id === undefined) {
      id = this.list.length;
      this.list.push(u);
      this.ids.set(u, id);
    }
    return id;
  }
}
