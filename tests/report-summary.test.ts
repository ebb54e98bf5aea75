// The summary (report/summary.ts) on small cases worked by hand: who wins each objective, by how much over the
// runner-up system, and whether that margin is exact or only a bound the run folder can support.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { systemBests } from "../src/report/points-bests.ts";
import fc from "fast-check";
import { groupedText, marginText, type Row, summarise, type SummaryInput, valueText } from "../src/report/summary.ts";
import { tempDir } from "./helpers.ts";

const point = (system: string, spj: number, spu: number, workload = "w1"): Row => ({
  workload,
  system,
  nodes: 1,
  embedding_placement: "hbm-table-wise",
  ps_nodes: "",
  batch_size: 4096,
  precision: "fp16",
  samples_per_joule: spj,
  samples_per_usd: spu,
  bottleneck: "compute",
});

// Workload w1, systems A, B, C. The frontier (samples/J, samples/USD) is A (100, 10) and B (80, 20). C's best
// point (90, 5) is dominated by A, so it is off the frontier; the sample holds it and B (70, 15).
// sensitivity.csv gives each system's best samples/J on w1: A 100, B 80, C 90.
const base: SummaryInput = {
  objectives: ["samples_per_joule", "samples_per_usd"],
  workloads: ["w1"],
  systems: ["A", "B", "C"],
  frontier: [point("A", 100, 10), point("B", 80, 20)],
  others: [point("C", 90, 5), point("B", 70, 15)],
  complete: false,
  sensitivity: [
    { workload: "w1", axis: "system", value: "A", best_samples_per_joule: 100 },
    { workload: "w1", axis: "system", value: "B", best_samples_per_joule: 80 },
    { workload: "w1", axis: "system", value: "C", best_samples_per_joule: 90 },
  ],
};

test("the winner on samples per joule is A, 11.1 % over C, whose best is off the frontier but in sensitivity.csv", () => {
  const [spj] = summarise(base);
  assert.is(spj!.system, "A");
  assert.is(spj!.value, 100);
  assert.equal(spj!.margin, { kind: "exact", pct: (100 * (100 - 90)) / 90, runnerUp: "C", runnerUpValue: 90 });
  assert.is(marginText(spj!), "+11.1 % over C (90 samples/J)");
});

test("on samples per USD only a lower bound of the runner-up is known, so the margin is 'at most' 100 %", () => {
  const spu = summarise(base)[1]!;
  assert.is(spu.system, "B");
  // A's best known samples/USD is 10 (frontier); C's is 5 (sample): the runner-up's best is at least 10
  assert.equal(spu.margin, { kind: "at-most", pct: 100, runnerUp: "A", runnerUpValue: 10 });
  assert.match(marginText(spu), /^at most \+100\.0 % over A/);
});

test("with every feasible point in the folder the same margin is exact", () => {
  const spu = summarise({ ...base, complete: true })[1]!;
  assert.equal(spu.margin, { kind: "exact", pct: 100, runnerUp: "A", runnerUpValue: 10 });
});

test("from the frontier alone the margin on the first objective is an upper bound above the true one", () => {
  const spj = summarise({ ...base, others: [], sensitivity: [] })[0]!;
  // runner-up on the frontier: B at 80, so at most 25 %; the true margin (over C at 90) is 11.1 %
  assert.equal(spj.margin, { kind: "at-most", pct: 25, runnerUp: "B", runnerUpValue: 80 });
});

test("a time to train is better lower: the margin says how much less than the runner-up", () => {
  const rows = [
    { ...point("A", 1, 1), time_to_train_h: 2 },
    { ...point("B", 1, 1), time_to_train_h: 3 },
  ];
  const [t] = summarise({
    ...base,
    objectives: ["neg_time_to_train_h"],
    frontier: rows,
    others: [],
    sensitivity: [],
    complete: true,
  });
  assert.is(t!.system, "A");
  assert.is(t!.value, 2);
  assert.is(t!.margin.kind, "exact");
  assert.is(marginText(t!), "33.3 % less than B (3 h)");
});

test("a workload without a feasible point, a single system and a lone feasible system each say so", () => {
  const rows = summarise({ ...base, workloads: ["w1", "w2"] });
  assert.is(rows.length, 4);
  assert.is(rows[2]!.workload, "w2");
  assert.is(rows[2]!.winner, null);
  const alone = summarise({ ...base, systems: ["A"], frontier: [point("A", 100, 10)], others: [], sensitivity: [] });
  assert.is(marginText(alone[0]!), "the only system swept");
  const lone = summarise({ ...base, frontier: [point("A", 100, 10)], others: [], sensitivity: [], complete: true });
  assert.is(marginText(lone[0]!), "no other system has a feasible point");
  const unknown = summarise({ ...base, frontier: [point("A", 100, 10)], others: [], sensitivity: [] });
  assert.is(unknown[1]!.margin.kind, "unknown");
});

test("a system without a feasible point in sensitivity.csv is out of the running on every objective", () => {
  const sensitivity = [
    { workload: "w1", axis: "system", value: "A", best_samples_per_joule: 100 },
    { workload: "w1", axis: "system", value: "B", best_samples_per_joule: "" },
  ];
  const rows = summarise({ ...base, systems: ["A", "B"], frontier: [point("A", 100, 10)], others: [], sensitivity });
  assert.equal(
    rows.map((r) => marginText(r)),
    ["no other system has a feasible point", "no other system has a feasible point"],
  );
});

test("values read at a glance: four significant digits, thousands grouped, SI prefixes from a million", () => {
  assert.is(valueText(4735.66), "4,736");
  assert.is(valueText(1.58235e10), "15.82 G");
  assert.is(valueText(67508100), "67.51 M");
  assert.is(valueText(0.123456), "0.1235");
});

test("each system's best points are read from points.csv in one pass, quoted fields included", () => {
  const file = join(tempDir(), "points.csv");
  writeFileSync(
    file,
    [
      "index,workload,system,samples_per_joule,samples_per_usd",
      '1,"m, k=1",A,10,1',
      '2,"m, k=1",A,5,9',
      '3,"m, k=1",B,7,7',
      "4,other,A,1,1",
      "",
    ].join("\n"),
  );
  const r = systemBests(file, ["samples_per_joule", "samples_per_usd"])!;
  assert.is(r.count, 4);
  const best = (w: string, s: string, col: string) =>
    Math.max(...r.rows.filter((x) => x.workload === w && x.system === s).map((x) => Number(x[col])));
  assert.is(best("m, k=1", "A", "samples_per_joule"), 10);
  assert.is(best("m, k=1", "A", "samples_per_usd"), 9);
  assert.is(best("m, k=1", "B", "samples_per_usd"), 7);
  assert.is(systemBests(file, ["neg_time_to_train_h"]), null, "a missing column: no bests");
});

test("grouped numbers read as Intl's en-US format with up to 12 fraction digits writes them", () => {
  const intl = new Intl.NumberFormat("en-US", { maximumFractionDigits: 12 });
  for (const v of [0, -0, 1e-6, 9.999e-7, 1234, -1234, 999999, 1e6, 4735.66, 0.000001234, 123456.7, 0.1 + 0.2, NaN])
    assert.is(groupedText(v), intl.format(v), String(v));
  fc.assert(
    fc.property(fc.double({ noNaN: true }), fc.integer({ min: 1, max: 17 }), (x, digits) => {
      const v = Number(x.toPrecision(digits));
      assert.is(groupedText(v), intl.format(v), String(v));
      const small = Number((x % 1e6).toPrecision(digits));
      assert.is(groupedText(small), intl.format(small), String(small));
    }),
    { numRuns: 5000 },
  );
});

test.run();
