// Nelder-Mead minimisation (standard coefficients 1, 2, 0.5, 0.5), deterministic: the same start gives the same
// path. Restarted from the best vertex so the simplex does not collapse early.
export function nelderMead(
  f: (x: number[]) => number,
  x0: number[],
  opts: { step: number; iterations: number; restarts: number; tol: number },
): { x: number[]; value: number } {
  let best = x0.slice();
  let bestValue = f(best);
  for (let r = 0; r <= opts.restarts; r++) {
    const n = best.length;
    let simplex = [best.slice(), ...best.map((_, i) => best.map((v, j) => (i === j ? v + opts.step : v)))];
    let values = simplex.map(f);
    for (let it = 0; it < opts.iterations; it++) {
      const order = values.map((v, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
      simplex = order.map((i) => simplex[i]!);
      values = order.map((i) => values[i]!);
      if (Math.abs(values[n]! - values[0]!) <= opts.tol * (Math.abs(values[0]!) + 1e-12)) break;
      const centroid = new Array<number>(n).fill(0);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j]! += simplex[i]![j]! / n;
      const worst = simplex[n]!;
      const at = (t: number) => centroid.map((c, j) => c + t * (worst[j]! - c));
      const xr = at(-1),
        fr = f(xr);
      if (fr < values[0]!) {
        const xe = at(-2),
          fe = f(xe);
        if (fe < fr) {
          simplex[n] = xe;
          values[n] = fe;
        } else {
          simplex[n] = xr;
          values[n] = fr;
        }
      } else if (fr < values[n - 1]!) {
        simplex[n] = xr;
        values[n] = fr;
      } else {
        const xc = fr < values[n]! ? at(-0.5) : at(0.5);
        const fc = f(xc);
        if (fc < Math.min(fr, values[n]!)) {
          simplex[n] = xc;
          values[n] = fc;
        } else {
          for (let i = 1; i <= n; i++) {
            simplex[i] = simplex[i]!.map((v, j) => simplex[0]![j]! + 0.5 * (v - simplex[0]![j]!));
            values[i] = f(simplex[i]!);
          }
        }
      }
    }
    const i0 = values.indexOf(Math.min(...values));
    if (values[i0]! < bestValue) {
      bestValue = values[i0]!;
      best = simplex[i0]!.slice();
    }
  }
  return { x: best, value: bestValue };
}
