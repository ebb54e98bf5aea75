import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { join } from "node:path";
import { scoreIndexInto } from "../src/engine/score.ts";
import { scoreRange } from "../src/engine/range.ts";
import { objectiveValue } from "../src/frontier/objectives.ts";
import { sampleCandidates, SAMPLE_TARGET } from "../src/frontier/sample.ts";
import { AXES, AXIS, coordsToIndex, indexToCoords, shardRange, totalPoints } from "../src/space/space.ts";
import { INFEASIBLE_REASONS, NCOLS } from "../src/model/result.ts";
import { Frontier, dominates, type FrontierPoint } from "../src/frontier/pareto.ts";
import { buildScoringContext } from "../src/engine/context.ts";
import { Merger, REASON_EXAMPLES } from "../src/frontier/merge.ts";
import { runSweep } from "../src/run/sweep.ts";
import { loadSpec } from "../src/spec/resolve.ts";
import { FIXTURES } from "./helpers.ts";

test("index and coordinates round-trip for any radix", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 7 }), fc.nat(), (radix, seed) => {
      const total = radix.reduce((a, b) => a * b, 1);
      const index = seed % total;
      const coords = indexToCoords(index, radix);
      coords.forEach((c, k) => assert.ok(c >= 0 && c < radix[k]!));
      assert.is(coordsToIndex(coords, radix), index);
    }),
  );
});

const point = (index: number, objs: number[]): FrontierPoint => ({
  index,
  objectives: new Float64Array(objs),
  row: new Float64Array(1),
});

test("AXIS names each axis's position in AXES, and shard ranges tile the index space", () => {
  assert.equal(Object.keys(AXIS), [...AXES]);
  AXES.forEach((a, k) => assert.is(AXIS[a], k));
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 64 }), (total, n) => {
      let next = 0;
      for (let k = 0; k < n; k++) {
        const [start, end] = shardRange(total, k, n);
        if (start !== next || end < start) return false;
        next = end;
      }
      return next === total;
    }),
  );
});

test("no point kept on the frontier is dominated, and every dropped point is", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 })), {
        minLength: 1,
        maxLength: 60,
      }),
      (pairs) => {
        const f = new Frontier();
        pairs.forEach(([a, b], i) => f.offer(point(i, [a, b])));
        const kept = new Set(f.points.map((p) => p.index));
        for (const p of f.points) for (const q of f.points) assert.not.ok(dominates(q.objectives, p.objectives));
        pairs.forEach(([a, b], i) => {
          if (kept.has(i)) return;
          assert.ok(
            pairs.some(([c, d]) => c >= a && d >= b && (c > a || d > b)),
            `dropped ${i} must be dominated`,
          );
        });
      },
    ),
  );
});

test("dominance means at least as good in every objective and better in one, for two objectives or more", () => {
  const definition = (a: number[], b: number[]) => a.every((x, k) => !(x < b[k]!)) && a.some((x, k) => x > b[k]!);
  const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double(), fc.constant(NaN));
  fc.assert(
    fc.property(
      fc
        .integer({ min: 1, max: 4 })
        .chain((n) =>
          fc.tuple(fc.array(value, { minLength: n, maxLength: n }), fc.array(value, { minLength: n, maxLength: n })),
        ),
      ([a, b]) => {
        assert.is(dominates(new Float64Array(a), new Float64Array(b)), definition(a, b), `${a} vs ${b}`);
      },
    ),
    { numRuns: 3000 },
  );
});

test("the frontier does not depend on the order points arrive in", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 })),
        { minLength: 1, maxLength: 40 },
      ),
      fc.nat(),
      (triples, seed) => {
        const pts = triples.map((t, i) => point(i, t));
        const shuffled = [...pts].sort((a, b) => ((a.index * 7919 + seed) % 101) - ((b.index * 7919 + seed) % 101));
        const f1 = new Frontier(),
          f2 = new Frontier();
        pts.forEach((p) => f1.offer(p));
        shuffled.forEach((p) => f2.offer(p));
        assert.equal(
          f1.sorted().map((p) => p.index),
          f2.sorted().map((p) => p.index),
        );
      },
    ),
  );
});

test("scoring the index space in any chunks gives the same frontier, counts and bests", () => {
  const { plan } = loadSpec(join(FIXTURES, "tiny.yaml"));
  const ctx = buildScoringContext(plan);
  const total = totalPoints(plan);
  const whole = new Merger(plan);
  whole.add(scoreRange(ctx, 0, total, false));
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: total - 1 }), { maxLength: 8 }), (cuts) => {
      const bounds = [0, ...[...new Set(cuts)].sort((a, b) => a - b), total];
      const parts = new Merger(plan);
      for (let i = bounds.length - 2; i >= 0; i--) parts.add(scoreRange(ctx, bounds[i]!, bounds[i + 1]!, false)); // reverse order too
      assert.equal(
        parts.frontier().map((p) => p.index),
        whole.frontier().map((p) => p.index),
      );
      assert.equal([...parts.reasonCounts], [...whole.reasonCounts]);
      assert.equal(
        parts.best.map((b) => b?.index),
        whole.best.map((b) => b?.index),
      );
    }),
    { numRuns: 20 },
  );
});

test("frontier, per-system bests, per-axis bests and sample equal a brute-force scan of every point, for any split", () => {
  const { plan } = loadSpec(join(FIXTURES, "tiny.yaml"));
  const ctx = buildScoringContext(plan);
  const total = totalPoints(plan);
  const radix = ctx.radix;
  // brute force: every point scored on its own, every statistic computed from the definitions
  const row = new Float64Array(NCOLS);
  const width = radix.reduce((a, b) => a + b, 0);
  const axisBest = new Array<number>(radix[0]! * width).fill(-Infinity);
  const best: Array<{ index: number; value: number } | null> = plan.systems.map(() => null);
  const feasible: Array<{ index: number; w: number; obj: number[] }> = [];
  for (let i = 0; i < total; i++) {
    const d = indexToCoords(i, radix);
    if (scoreIndexInto(ctx, d, row, 0) !== 0) continue;
    const obj = plan.objectives.map((o) => objectiveValue(row, 0, o));
    feasible.push({ index: i, w: d[0]!, obj });
    let off = 0;
    d.forEach((v, k) => {
      const cell = d[0]! * width + off + v;
      axisBest[cell] = Math.max(axisBest[cell]!, obj[0]!);
      off += radix[k]!;
    });
    const b = best[d[1]!];
    if (!b || obj[0]! > b.value) best[d[1]!] = { index: i, value: obj[0]! };
  }
  const beats = (a: number[], b: number[]) => a.every((v, k) => v >= b[k]!) && a.some((v, k) => v > b[k]!);
  const frontier = feasible
    .filter((p) => !feasible.some((q) => q.w === p.w && beats(q.obj, p.obj)))
    .map((p) => p.index)
    .sort((a, b) => a - b);
  const isFeasible = new Set(feasible.map((p) => p.index));
  const sample = sampleCandidates(0, total, total).filter((i) => isFeasible.has(i));
  assert.ok(
    feasible.length > 100 && frontier.length > 1 && sample.length > 10,
    "the fixture exercises every statistic",
  );
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: total - 1 }), { maxLength: 6 }), (cuts) => {
      const bounds = [0, ...[...new Set(cuts)].sort((a, b) => a - b), total];
      const merged = new Merger(plan);
      const seen = new Map();
      for (let i = 0; i + 1 < bounds.length; i++) merged.add(scoreRange(ctx, bounds[i]!, bounds[i + 1]!, false, seen));
      const r = merged.result(1);
      assert.equal(
        r.frontier.map((p) => p.index).sort((a, b) => a - b),
        frontier,
      );
      assert.equal(
        r.best.map((b) => b?.index ?? null),
        best.map((b) => b?.index ?? null),
      );
      assert.equal([...r.axisBest], axisBest);
      assert.equal(
        r.sample.map((p) => p.index),
        sample,
      );
      for (const p of [...r.frontier, ...r.sample]) {
        scoreIndexInto(ctx, indexToCoords(p.index, radix), row, 0);
        assert.equal([...p.row], [...row], `row of point ${p.index}`);
      }
    }),
    { numRuns: 10 },
  );
});

test("a range's sparse per-system counts, examples and bests merge like their dense equivalent", () => {
  const { plan } = loadSpec(join(FIXTURES, "tiny.yaml"));
  const ctx = buildScoringContext(plan);
  const total = totalPoints(plan);
  const S = plan.systems.length,
    R = INFEASIBLE_REASONS.length;
  const sparse = scoreRange(ctx, 0, total, false);
  assert.ok(sparse.systemReasonAt && sparse.bestAt, "engine ranges come back sparse");
  assert.ok(sparse.systemReasonAt.length < S * R, "cells without points are left out");
  // the dense form: every system x reason cell and every system, zeros and -1 where the sparse form has nothing
  const counts = new Float64Array(S * R);
  const examples = new Float64Array(S * R * REASON_EXAMPLES).fill(-1);
  sparse.systemReasonAt.forEach((cell, i) => {
    counts[cell] = sparse.systemReasonCounts[i]!;
    examples.set(
      sparse.reasonExamples.subarray(i * REASON_EXAMPLES, (i + 1) * REASON_EXAMPLES),
      cell * REASON_EXAMPLES,
    );
  });
  const bestIndex = new Float64Array(S).fill(-1);
  const bestRows = new Float64Array(S * NCOLS);
  sparse.bestAt.forEach((s, i) => {
    bestIndex[s] = sparse.bestIndex[i]!;
    bestRows.set(sparse.bestRows.subarray(i * NCOLS, (i + 1) * NCOLS), s * NCOLS);
  });
  const { systemReasonAt: _a, bestAt: _b, ...rest } = sparse;
  const dense = { ...rest, systemReasonCounts: counts, reasonExamples: examples, bestIndex, bestRows };
  const a = new Merger(plan),
    b = new Merger(plan);
  a.add(sparse);
  b.add(dense);
  assert.ok(
    counts.some((v) => v > 0),
    "the fixture has infeasible points",
  );
  assert.equal([...a.systemReasonCounts], [...b.systemReasonCounts]);
  assert.equal([...a.reasonExamples], [...b.reasonExamples]);
  assert.equal(
    a.best.map((x) => x && [x.index, ...x.row]),
    b.best.map((x) => x && [x.index, ...x.row]),
  );
});

test("sample candidates are one per stride block, about SAMPLE_TARGET in all, the same for any split", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5_000_000 }), fc.array(fc.nat(), { maxLength: 5 }), (total, cuts) => {
      const whole = sampleCandidates(0, total, total);
      assert.ok(
        whole.length <= SAMPLE_TARGET * 2 && whole.length >= Math.min(total, SAMPLE_TARGET) / 2,
        `${whole.length} of ${total}`,
      );
      const bounds = [0, ...[...new Set(cuts.map((c) => c % total))].sort((a, b) => a - b), total];
      const parts = bounds.slice(1).flatMap((e, i) => sampleCandidates(bounds[i]!, e, total));
      assert.equal(parts, whole);
    }),
  );
});

test("worker threads give the same results as the main thread", async () => {
  const { plan } = loadSpec(join(FIXTURES, "tiny.yaml"));
  const big = {
    ...plan,
    nodes: [1, 2, 3, 4],
    workloads: [...plan.workloads, ...plan.workloads, ...plan.workloads],
    batches: [1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144, 524288].flatMap((b) => [
      b,
      b + 512,
      b + 1024,
      b + 1536,
    ]),
  };
  assert.ok(totalPoints(big) > 20000, "large enough to use the pool");
  const inline = await runSweep(big, { workers: 1, wantPoints: false });
  const pooled = await runSweep(big, { workers: 2, wantPoints: false });
  assert.is(pooled.workers, 2);
  assert.equal(
    pooled.frontier.map((p) => p.index),
    inline.frontier.map((p) => p.index),
  );
  assert.equal([...pooled.reasonCounts], [...inline.reasonCounts]);
});

test.run();
