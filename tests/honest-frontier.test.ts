// The honest frontier (issue 18, item 3): identical results are one row of frontier.csv listing the placements and
// precisions that give them; near-ties (leading others by less than the resolution) are marked, not dropped.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { honestFrontier, NEAR_TIE_RELATIVE, nearTieTolerance } from "../src/frontier/honest.ts";
import type { FrontierPoint } from "../src/frontier/pareto.ts";
import { C, NCOLS } from "../src/model/result.ts";
import { writeFrontierCsv } from "../src/output/tables.ts";
import { runSweep } from "../src/run/sweep.ts";
import { loadSpec } from "../src/spec/resolve.ts";
import { ROOT, tempDir } from "./helpers.ts";

type Row = Record<string, string>;
const readCsv = (file: string) => parseCsv(readFileSync(file, "utf8"), { columns: true }) as Row[];

test("the default run's frontier.csv has no two rows with the same workload and objective values", async () => {
  const { plan } = loadSpec(join(ROOT, "sweeps", "default.yaml"));
  const result = await runSweep(plan, { workers: 1, wantPoints: false });
  const file = join(tempDir(), "frontier.csv");
  writeFrontierCsv(file, plan, result);
  const rows = readCsv(file);
  assert.ok(rows.length > 0);
  const keys = rows.map((r) => [r.workload, ...plan.objectives.map((o) => r[o.replace(/^neg_/, "")])].join("|"));
  assert.is(new Set(keys).size, keys.length, "a key repeats");
  // every frontier point is written once: as its row or among a row's equivalent indices
  const written = rows.flatMap((r) => [r.index, ...(r.equivalent_indices ? r.equivalent_indices.split(" ") : [])]);
  assert.equal(
    written.map(Number).sort((a, b) => a - b),
    result.frontier.map((p) => p.index).sort((a, b) => a - b),
  );
  // placements listed are vocabulary names, the row's own first; auto is among them and says what it resolved to
  for (const r of rows) {
    assert.is(r.equivalent_placements!.split(" ")[0], r.embedding_placement);
    assert.ok(r.equivalent_precisions!.split(" ").includes(r.precision!));
    assert.ok(r.placement_resolved !== "auto" && r.placement_resolved !== "");
  }
});

// A plan of one workload, two placements and two precisions: synthetic frontier rows to group.
const specFile = join(tempDir(), "honest.yaml");
writeFileSync(
  specFile,
  `schemaVersion: 1
name: honest
systems: [dgx-h100]
nodes: [1]
placements: [hbm-table-wise, auto]
models: [{ preset: dlrm-mlperf-v1 }]
training: { batch_size: [65536, 131072], precision: [fp16, bf16] }
objectives: [samples_per_joule, samples_per_usd]
`,
);
const { plan } = loadSpec(specFile);

/** A frontier point with the given throughput, power and cost (objectives derived as the kernel derives them). */
function point(index: number, throughput: number, power: number, cost: number): FrontierPoint {
  const row = new Float64Array(NCOLS);
  row[C.throughput_samples_per_s] = throughput;
  row[C.power_w] = power;
  row[C.cost_usd_per_hour] = cost;
  row[C.samples_per_joule] = throughput / power;
  row[C.samples_per_usd] = (throughput * 3600) / cost;
  return { index, objectives: new Float64Array([throughput / power, (throughput * 3600) / cost]), row };
}

test("points with identical results are one row listing their placements and precisions", () => {
  // indices: placement x batch x precision; 0 = table-wise 65536 fp16, 1 = ... bf16, 4 = auto 65536 fp16
  const rows = honestFrontier(plan, [point(0, 1e6, 5e3, 10), point(1, 1e6, 5e3, 10), point(4, 1e6, 5e3, 10)]);
  assert.is(rows.length, 1);
  assert.is(rows[0]!.point.index, 0);
  assert.equal(rows[0]!.placements, ["hbm-table-wise", "auto"]);
  assert.equal(rows[0]!.precisions, ["fp16", "bf16"]);
  assert.equal(
    rows[0]!.equivalents.map((p) => p.index),
    [1, 4],
  );
  assert.equal(rows[0]!.nearTies, []);
});

test("a row leading others by less than 1 % where it leads is their near-tie; rows within 1 % mark each other", () => {
  assert.is(NEAR_TIE_RELATIVE, 0.01);
  const a = point(0, 1e6, 5e3, 10),
    b = point(2, 1.004e6, 5.02e3, 10.02), // within 0.4 % on both objectives: each is the other's near-tie
    c = point(6, 1.5e6, 6e3, 30), // +25 % samples/J, -50 % samples/USD: a real trade-off, no tie
    e = point(5, 1.005e6, 5e3, 14); // +0.5 % samples/J for -28 % samples/USD: leads a only by less than 1 %
  const rows = honestFrontier(plan, [c, b, e, a]);
  const by = new Map(rows.map((r) => [r.point.index, r.nearTies]));
  assert.equal(by.get(0), [2]);
  assert.equal(by.get(2), [0]);
  assert.equal(by.get(6), []);
  assert.equal(by.get(5), [2, 0], "e's lead over a and b is within the tolerance");
  const d = point(3, 1e6 * (1 + 2 * NEAR_TIE_RELATIVE), 5e3, 10);
  assert.equal(honestFrontier(plan, [d, a])[0]!.nearTies, [], "2 % ahead on both objectives");
});

test("with the model's resolution, a lead within it makes a near-tie and a lead beyond it does not", () => {
  const a = point(0, 1e6, 5e3, 10),
    e = point(5, 1.05e6, 5e3, 14); // +5 % samples/J, -25 % samples/USD
  const wide = honestFrontier(plan, [e, a], () => 0.08);
  assert.equal(wide[0]!.nearTies, [0], "a 5 % lead inside an 8 % resolution");
  const narrow = honestFrontier(plan, [e, a], () => 0.02);
  assert.equal(narrow[0]!.nearTies, [], "a 5 % lead beyond a 2 % resolution");
});

test("nearTieTolerance is the stated share of the objective's magnitude", () => {
  const row = new Float64Array(NCOLS);
  assert.is(nearTieTolerance(-250, row, "neg_cost_per_run_usd"), 2.5);
  assert.is(nearTieTolerance(1000, row, "samples_per_joule"), 10);
});

test.run();
