import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildScoringContext } from "../src/engine/context.ts";
import { ELASTICITY_COLUMNS, elasticityRecords } from "../src/engine/elasticity.ts";
import { BOTTLENECKS, C } from "../src/model/result.ts";
import { runSweep } from "../src/run/sweep.ts";
import { loadSpec } from "../src/spec/resolve.ts";
import { cli, FIXTURES, tempDir } from "./helpers.ts";

const { plan } = loadSpec(join(FIXTURES, "tiny.yaml"));
const withThroughput = { ...plan, objectives: [...plan.objectives, "throughput_samples_per_s" as const] };
const result = await runSweep(withThroughput, { workers: 1, wantPoints: false });
const records = elasticityRecords(
  buildScoringContext(withThroughput),
  result.frontier.map((p) => p.index),
);
const col = (name: string) => ELASTICITY_COLUMNS.indexOf(name);

test("elasticity.csv has one row per frontier point and objective, and a column per hardware figure", async () => {
  assert.is(records.length, result.frontier.length * withThroughput.objectives.length);
  for (const f of ["hbm_bandwidth", "flop_rate", "nic_bandwidth", "host_link_bandwidth", "accelerator_memory"])
    assert.ok(ELASTICITY_COLUMNS.includes(f), f);
  const out = join(tempDir(), "run");
  assert.is(cli(["run", join(FIXTURES, "tiny.yaml"), "--out", out, "--quiet"]).code, 0);
  const lines = readFileSync(join(out, "elasticity.csv"), "utf8").trim().split("\n");
  assert.is(lines[0], ELASTICITY_COLUMNS.join(","));
  const runFrontier = (await runSweep(plan, { workers: 1, wantPoints: false })).frontier;
  assert.is(lines.length - 1, runFrontier.length * plan.objectives.length);
});

test("more of any hardware figure never lowers a frontier point's throughput (elasticity >= 0)", () => {
  for (const r of records.filter((r) => r[col("objective")] === "throughput_samples_per_s")) {
    for (const f of ELASTICITY_COLUMNS.slice(4)) {
      const v = r[col(f)]!;
      if (v !== "") assert.ok(Number(v) >= -1e-9, `${r[0]} ${f}: ${v}`);
    }
  }
});

test("a point bound by compute gains from the FLOP rate, and a one-node point not from its NICs", () => {
  const byIndex = new Map(result.frontier.map((p) => [p.index, p]));
  for (const r of records.filter((r) => r[col("objective")] === "throughput_samples_per_s")) {
    const row = byIndex.get(Number(r[0]))!.row;
    if (row[C.bottleneck] === BOTTLENECKS.indexOf("compute")) assert.ok(Number(r[col("flop_rate")]) > 0, r[0]);
    if (row[C.total_nodes] === 1) assert.is(Number(r[col("nic_bandwidth")]), 0, `point ${r[0]}: one node`);
  }
});

test.run();
