// Exact Pareto frontier (maximise every objective), kept incrementally per workload. A point is dominated when
// another is at least as good in every objective and strictly better in one; equal points are all kept.

export interface FrontierPoint {
  index: number;
  objectives: Float64Array;
  row: Float64Array;
}

export function dominates(a: Float64Array, b: Float64Array): boolean {
  if (a.length === 2) {
    // two objectives (the default), unrolled: the scoring loop asks this of most feasible points
    const a0 = a[0]!,
      a1 = a[1]!,
      b0 = b[0]!,
      b1 = b[1]!;
    return !(a0 < b0) && !(a1 < b1) && (a0 > b0 || a1 > b1);
  }
  let strictly = false;
  for (let k = 0; k < a.length; k++) {
    if (a[k]! < b[k]!) return false;
    if (a[k]! > b[k]!) strictly = true;
  }
  return strictly;
}

export class Frontier {
  points: FrontierPoint[] = [];
  /** the point that dominated the previous query: neighbouring design points are usually dominated by it too */
  private lastDominator: FrontierPoint | null = null;

  /** Cheap pre-check before building a FrontierPoint: is this objective vector dominated? */
  isDominated(obj: Float64Array): boolean {
    const last = this.lastDominator;
    if (last && dominates(last.objectives, obj)) return true;
    for (const p of this.points) {
      if (p !== last && dominates(p.objectives, obj)) {
        this.lastDominator = p;
        return true;
      }
    }
    return false;
  }

  /** Adds a point unless dominated; drops the points it dominates. Returns whether it was kept. */
  offer(point: FrontierPoint): boolean {
    if (this.isDominated(point.objectives)) return false;
    this.insert(point);
    return true;
  }

  /** Adds a point the caller found not dominated (isDominated is false); drops the points it dominates. */
  insert(point: FrontierPoint): void {
    let kept = 0;
    for (const p of this.points) if (!dominates(point.objectives, p.objectives)) this.points[kept++] = p;
    this.points.length = kept;
    this.points.push(point);
    this.lastDominator = point;
  }

  /** Deterministic order: first objective descending, then the rest descending, then index ascending. */
  sorted(): FrontierPoint[] {
    return [...this.points].sort((a, b) => {
      for (let k = 0; k < a.objectives.length; k++) {
        const d = b.objectives[k]! - a.objectives[k]!;
        if (d !== 0) return d;
      }
      return a.index - b.index;
    });
  }
}
