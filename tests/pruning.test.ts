import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildScoringContext } from "../src/engine/context.ts";
import { BlockBounds } from "../src/engine/prune.ts";
import { scoreIndexInto } from "../src/engine/score.ts";
import { Merger } from "../src/frontier/merge.ts";
import { objectiveValue } from "../src/frontier/objectives.ts";
import { NCOLS } from "../src/model/result.ts";
import { runState, stateToRange } from "../src/output/state.ts";
import { runSweep } from "../src/run/sweep.ts";
import { AXIS, indexToCoords, totalPoints } from "../src/space/space.ts";
import type { Plan } from "../src/spec/plan.ts";
import { loadSpec } from "../src/spec/resolve.ts";
import { cli, tempDir } from "./helpers.ts";

const HARDWARE = `
  - dgx-a100-80gb
  - cpu-sapphire-rapids-2s
  - id: axes
    compose:
      accelerator: [h100-sxm5-80gb, a100-sxm4-80gb, l40s-pcie-48gb,
        {derive: {from: h100-sxm5-80gb, memory_bandwidth_gb_per_s: [x1.5, x2], price_usd: [x1, x1.5], tdp_w: x1}}]
      accelerators_per_node: [4, 8]
      fabric: [nvswitch3, nvswitch2, pcie5-x16]
      host_cpu: [xeon-platinum-8480c, epyc-9654]
      cpu_sockets: 2
      host_memory_gb: [1024, 4096]
      nic: [cx7-ndr-400, cx6-hdr-200]
      nics_per_node: [4, 8]`;

function specFile(extra = "", systems = HARDWARE): string {
  const file = join(tempDir(), "prune.yaml");
  writeFileSync(
    file,
    `schemaVersion: 1\nname: prune\nsystems:${systems}\nnodes: [1, 2, 8]\n` +
      "placements: [hbm-table-wise, hbm-row-wise, hbm-cache, host-dram, hbm-mixed]\n" +
      "models: [{preset: dlrm-mlperf-v1}, {preset: dlrm-dle-tf2-xlarge}]\n" +
      "training: {batch_size: [8192, 65536], precision: [fp16, fp32, bf16]}\n" +
      `output: {points_csv: false, report: false}\n${extra}`,
  );
  return file;
}

const frontierOf = (r: { frontier: Array<{ index: number; row: Float64Array }> }) =>
  r.frontier.map((p) => `${p.index}:${[...p.row].join(",")}`);

async function bothWays(plan: Plan) {
  const full = await runSweep(plan, { workers: 1, wantPoints: false });
  const pruned = await runSweep(plan, { workers: 1, wantPoints: false, prune: true });
  return { full, pruned };
}

test("a pruned sweep finds exactly the frontier full enumeration finds, and skips blocks to do it", async () => {
  const { plan } = loadSpec(specFile());
  const { full, pruned } = await bothWays(plan);
  assert.equal(frontierOf(pruned), frontierOf(full));
  assert.ok(pruned.boundedPoints > 0, "some blocks bounded away");
  assert.is(full.boundedPoints, 0);
  assert.is(pruned.pointsScored, totalPoints(plan));
});

test("every point scores at most its block's bounds, on every objective", () => {
  const { plan } = loadSpec(specFile("objectives: [samples_per_joule, samples_per_usd, throughput_samples_per_s]"));
  const ctx = buildScoringContext(plan);
  const bounds = new BlockBounds(ctx);
  const b = new Float64Array(plan.objectives.length);
  const row = new Float64Array(NCOLS);
  const total = totalPoints(plan);
  for (let index = 0; index < total; index += 7) {
    const d = indexToCoords(index, ctx.radix);
    if (scoreIndexInto(ctx, d, row, 0) !== 0) continue;
    bounds.of(d[AXIS.workload]!, d[AXIS.system]!, b);
    plan.objectives.forEach((o, k) => {
      assert.ok(objectiveValue(row, 0, o) <= b[k]!, `${o} of point ${index}: ${objectiveValue(row, 0, o)} > ${b[k]}`);
    });
  }
});

test("pruned and full frontiers agree on random specs: parts, counts, objectives and cost basis", async () => {
  const accs = ["h100-sxm5-80gb", "a100-sxm4-80gb", "l40s-pcie-48gb", "v100-sxm2-32gb", "mi300x-oam-192gb"];
  const objectives = ["samples_per_joule", "samples_per_usd", "throughput_samples_per_s", "neg_cost_per_run_usd"];
  await fc.assert(
    fc.asyncProperty(
      fc.subarray(accs, { minLength: 1 }),
      fc.subarray([1, 2, 4, 8], { minLength: 1 }),
      fc.subarray([1024, 2048, 8192], { minLength: 1 }),
      fc.subarray(objectives, { minLength: 2 }),
      fc.boolean(),
      fc.subarray([1, 4, 16], { minLength: 1 }),
      async (acc, counts, memory, objs, cloud, nodes) => {
        const systems = `\n  - id: r\n    compose: {accelerator: [${acc.join(", ")}],
      accelerators_per_node: [${counts.join(", ")}],
      fabric: [pcie5-x16, nvswitch3], host_cpu: [epyc-9654, xeon-gold-6138], cpu_sockets: 2,
      host_memory_gb: [${memory.join(", ")}], nic: cx7-ndr-400, nics_per_node: [2, 8], cloud_usd_per_node_hour: 40}`;
        const extra =
          `objectives: [${objs.join(", ")}]\n${cloud ? "cost: {basis: cloud}\n" : ""}` +
          "models: [{preset: dlrm-mlperf-v1, sweep: {embedding_dim: [64, 128]}}]\n";
        const text = readFileSync(specFile(extra, systems), "utf8")
          .replace("models: [{preset: dlrm-mlperf-v1}, {preset: dlrm-dle-tf2-xlarge}]\n", "")
          .replace("nodes: [1, 2, 8]", `nodes: [${nodes.join(", ")}]`);
        const file = join(tempDir(), "random.yaml");
        writeFileSync(file, text);
        const { plan } = loadSpec(file);
        const { full, pruned } = await bothWays(plan);
        assert.equal(frontierOf(pruned), frontierOf(full));
        assert.equal([...pruned.reasonCounts].slice(13), [...full.reasonCounts].slice(13), "refusals counted exactly");
      },
    ),
    { numRuns: 12 },
  );
});

test("a pruned run resumed from a checkpoint finds the same frontier as one run", async () => {
  const { plan } = loadSpec(specFile());
  const whole = await runSweep(plan, { workers: 1, wantPoints: false, prune: true });
  const mid = Math.floor(totalPoints(plan) * 0.4);
  const first = await runSweep(plan, { workers: 1, wantPoints: false, prune: true, end: mid });
  const merger = new Merger(plan);
  merger.add(stateToRange(runState(first, [0, mid])));
  const resumed = await runSweep(plan, { workers: 1, wantPoints: false, prune: true, start: mid, merger });
  assert.equal(frontierOf(resumed), frontierOf(whole));
});

test("shards of a pruned run merge to the single run's frontier byte for byte; run-info.json gives the counts", () => {
  const spec = specFile();
  const dir = tempDir();
  const single = cli(["run", spec, "--out", join(dir, "single"), "--quiet"]);
  assert.is(single.code, 0, single.stderr);
  for (const k of [0, 1, 2]) {
    const r = cli(["run", spec, "--shard", `${k}/3`, "--out", join(dir, `s${k}`), "--quiet"]);
    assert.is(r.code, 0, r.stderr);
  }
  const m = cli(["merge", join(dir, "s2"), join(dir, "s0"), join(dir, "s1"), "--out", join(dir, "merged")]);
  assert.is(m.code, 0, m.stderr);
  const frontier = (d: string) => readFileSync(join(dir, d, "frontier.csv"), "utf8");
  assert.is(frontier("merged"), frontier("single"));
  const info = JSON.parse(readFileSync(join(dir, "single", "run-info.json"), "utf8"));
  assert.is(info.pruning.on, true);
  assert.is(info.pruning.points_scored + info.pruning.points_bounded_away, info.pruning.points_covered);
  assert.ok(info.pruning.points_bounded_away > 0);
  assert.ok(info.pruning.scored_points_only.includes("sensitivity.csv"));
});

test("output.prune: false scores every point; a run writing points.csv never prunes", () => {
  assert.is(loadSpec(specFile("")).plan.prune, true);
  const off = specFile().replace(/\.yaml$/, "-off.yaml");
  writeFileSync(off, readFileSync(specFile(), "utf8").replace("report: false}", "report: false, prune: false}"));
  assert.is(loadSpec(off).plan.prune, false);
  const points = specFile().replace(/\.yaml$/, "-points.yaml");
  writeFileSync(points, readFileSync(specFile(), "utf8").replace("points_csv: false", "points_csv: true"));
  assert.is(loadSpec(points).plan.prune, false);
});

test.run();
