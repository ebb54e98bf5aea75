// top-k.csv: for each workload and objective, the k best feasible points (ties: the lower index first), kept while
// the points stream past in index order, so a large sweep's best points need no points.csv.
import { NCOLS } from "../model/result.ts";
import { objectiveColumn } from "../frontier/objectives.ts";
import { pointsPerWorkload, radices } from "../space/space.ts";
import type { Plan } from "../spec/plan.ts";
import { csvText } from "./csv.ts";
import { PointLines, pointHeader } from "./format.ts";

/** The k best of one workload and objective: a min-heap on (value, -index), its root the first to go. */
class Best {
  readonly value: number[] = [];
  readonly index: number[] = [];
  readonly rows: Float64Array[] = [];
  constructor(private readonly k: number) {}
  /** true when (v, i) ranks below (w, j): a smaller value, or the same value and a later index */
  private static below(v: number, i: number, w: number, j: number): boolean {
    return v < w || (v === w && i > j);
  }
  offer(v: number, index: number, rows: Float64Array, o: number): void {
    if (Number.isNaN(v)) return; // NaN never ranks
    const n = this.value.length;
    if (n === this.k && !Best.below(this.value[0]!, this.index[0]!, v, index)) return;
    const row = rows.slice(o, o + NCOLS);
    if (n < this.k) {
      this.value.push(v);
      this.index.push(index);
      this.rows.push(row);
      this.up(n);
    } else {
      this.value[0] = v;
      this.index[0] = index;
      this.rows[0] = row;
      this.down(0);
    }
  }
  private swap(a: number, b: number): void {
    for (const arr of [this.value, this.index, this.rows] as unknown[][]) [arr[a], arr[b]] = [arr[b], arr[a]];
  }
  private less(a: number, b: number): boolean {
    return Best.below(this.value[a]!, this.index[a]!, this.value[b]!, this.index[b]!);
  }
  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) return;
      this.swap(i, p);
      i = p;
    }
  }
  private down(i: number): void {
    const n = this.value.length;
    for (;;) {
      const l = 2 * i + 1,
        r = l + 1;
      let m = i;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
  /** best first */
  sorted(): number[] {
    return this.value.map((_, i) => i).sort((a, b) => (this.less(a, b) ? 1 : this.less(b, a) ? -1 : 0));
  }
}

export class TopK {
  private readonly perWorkload: number;
  private readonly objectives: Array<{ col: number; sign: number }>;
  /** [workload][objective] */
  private readonly best: Best[][];

  constructor(
    private readonly plan: Plan,
    k: number,
  ) {
    this.perWorkload = pointsPerWorkload(radices(plan));
    this.objectives = plan.objectives.map(objectiveColumn);
    this.best = plan.workloads.map(() => plan.objectives.map(() => new Best(k)));
  }

  /** Offers the feasible points `index[i]` with rows rows[i * NCOLS ..]. */
  add(index: Float64Array, rows: Float64Array): void {
    for (let i = 0; i < index.length; i++) {
      const w = Math.floor(index[i]! / this.perWorkload);
      const o = i * NCOLS;
      this.objectives.forEach((ob, j) => this.best[w]![j]!.offer(ob.sign * rows[o + ob.col]!, index[i]!, rows, o));
    }
  }

  /** top-k.csv: objective, rank (1 = best), then points.csv's columns. */
  csv(): string {
    const lines = new PointLines(this.plan);
    let text = csvText([], ["objective", "rank", ...pointHeader(this.plan)]);
    this.best.forEach((perObjective) =>
      perObjective.forEach((b, j) => {
        b.sorted().forEach((h, rank) => {
          const line = lines.lines([b.index[h]!], b.rows[h]!);
          text += `${this.plan.objectives[j]},${rank + 1},${line}`;
        });
      }),
    );
    return text;
  }
}
