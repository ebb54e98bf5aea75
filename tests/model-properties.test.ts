// Metamorphic and direction tests: relations that must hold for any design point.
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildScoringContext } from "../src/engine/context.ts";
import { scoreIndexInto } from "../src/engine/score.ts";
import { scoreRange } from "../src/engine/range.ts";
import { indexToCoords, totalPoints } from "../src/space/space.ts";
import { pointFromRow, placementName, precisionName, scorePoint, type ScoredPoint } from "../src/model/score-point.ts";
import { C, NCOLS, R, BOTTLENECKS } from "../src/model/result.ts";
import type { NodeModel } from "../src/model/node.ts";
import { loadSpec } from "../src/spec/resolve.ts";
import { resolveStack } from "../src/model/software.ts";
import { tempDir } from "./helpers.ts";

const specFile = join(tempDir(), "wide.yaml");
writeFileSync(
  specFile,
  `schemaVersion: 1
name: wide
systems: [cpu-skylake-2s, big-basin-v100, zion-like, dgx-a100-40gb, pcie-8x-a100-80gb, dgx-h100, mi300x-8]
nodes: [1, 2, 8]
placements: [hbm-table-wise, hbm-row-wise, hbm-column-wise, hbm-replicated, host-dram, hbm-cache, host-cpu-lookup, remote-ps, ssd-cached, auto]
ps_nodes: [1, 4]
models:
  - preset: dlrm-mlperf-v1
  - preset: deeprecsys-rmc3
  - preset: dlrm-dcnv2-mlperf
training:
  batch_size: [4096, 65536]
  precision: [fp32, fp16]
  samples_to_train: 1000000000
`,
);
const { plan } = loadSpec(specFile);
const total = totalPoints(plan);
const ctx = buildScoringContext(plan);

/** Point `index` of the wide sweep as the engine scores it, or, given `node`, scored on that node instead. */
function score(index: number, node?: NodeModel): ScoredPoint {
  const d = indexToCoords(index, ctx.radix);
  if (!node) {
    const out = new Float64Array(NCOLS);
    scoreIndexInto(ctx, d, out, 0);
    return pointFromRow(out);
  }
  const [w, , n, pl, b, pr] = [...d] as [number, number, number, number, number, number];
  const variant = plan.placements[pl]!;
  return scorePoint({
    node,
    workload: ctx.workload(w),
    nodes: plan.nodes[n]!,
    placement: placementName(variant.placement),
    psNodes: variant.psNodes,
    batch: plan.batches[b]!,
    precision: precisionName(plan.precisions[pr]!),
    env: ctx.env,
    params: plan.params,
  });
}
const systemOf = (index: number) => indexToCoords(index, ctx.radix)[1]!;
const anyPoint = fc.integer({ min: 0, max: total - 1 });

test("the wide test sweep has feasible points for every placement family", () => {
  const r = scoreRange(ctx, 0, total, false);
  assert.ok(r.reasonCounts[0]! > total / 4, `${r.reasonCounts[0]} feasible of ${total}`);
});

for (const [field, label] of [
  ["memBwPerDevice", "memory bandwidth"],
  ["fabricA2aBw", "fabric bandwidth"],
  ["nicBw", "NIC bandwidth"],
  ["hostLinkBw", "host-link bandwidth"],
  ["dramBw", "DRAM bandwidth"],
] as const) {
  test(`more ${label} never makes an iteration slower`, () => {
    fc.assert(
      fc.property(anyPoint, (i) => {
        const base = score(i);
        if (!base.feasible) return;
        const node = ctx.nodes[systemOf(i)]!;
        const faster = score(i, {
          ...node,
          [field]: node[field] * 2,
          ...(field === "fabricA2aBw" ? { fabricArBw: node.fabricArBw * 2 } : {}),
        });
        assert.ok(faster.time.iteration_s <= base.time.iteration_s * (1 + 1e-12), `point ${i}`);
      }),
      { numRuns: 300 },
    );
  });
}

test("a higher FLOP rate never makes an iteration slower", () => {
  fc.assert(
    fc.property(anyPoint, (i) => {
      const base = score(i);
      if (!base.feasible) return;
      const node = ctx.nodes[systemOf(i)]!;
      const faster = score(i, { ...node, peakFlops: node.peakFlops.map((f) => f * 2) });
      assert.ok(faster.time.iteration_s <= base.time.iteration_s * (1 + 1e-12));
    }),
    { numRuns: 300 },
  );
});

test("fp16 is never slower than fp32 or tf32 on an accelerator, whatever the stack keeps at fp32 (S1)", () => {
  // the stacks differ in what stays fp32 under half precision: the exchange (fp32Exchange), the pooled vectors
  // (fp32Pooled); the GEMMs and the MLP's activations still halve, so half precision can only be faster
  const stacks = ["hugectr", "pytorch@dle-2022", "tensorflow", "torchrec"].map((name) =>
    resolveStack(plan.params, name),
  );
  fc.assert(
    fc.property(anyPoint, fc.integer({ min: 0, max: stacks.length - 1 }), (i, k) => {
      const [w, s, n, pl, b] = [...indexToCoords(i, ctx.radix)] as number[];
      if (ctx.nodes[s!]!.isCpuOnly) return;
      const at = (precision: "fp32" | "tf32" | "fp16") =>
        scorePoint({
          node: ctx.nodes[s!]!,
          workload: ctx.workload(w!),
          nodes: plan.nodes[n!]!,
          placement: placementName(plan.placements[pl!]!.placement),
          psNodes: plan.placements[pl!]!.psNodes,
          batch: plan.batches[b!]!,
          precision,
          env: { ...ctx.env, software: stacks[k]!, vendorStacks: [] },
          params: plan.params,
        });
      const half = at("fp16");
      for (const full of [at("fp32"), at("tf32")]) {
        if (!full.feasible) continue;
        assert.ok(half.feasible, `point ${i}: fp16 ${half.reason}`);
        assert.ok(half.time.iteration_s <= full.time.iteration_s * (1 + 1e-12), `point ${i}, stack ${k}`);
      }
    }),
    { numRuns: 300 },
  );
});

test("more nodes never lower the cost per hour", () => {
  fc.assert(
    fc.property(anyPoint, (i) => {
      const d = indexToCoords(i, ctx.radix);
      if (d[2]! + 1 >= plan.nodes.length) return;
      const a = score(i);
      const more = [...d];
      more[2]! += 1;
      const bIdx = more.reduce((acc, c, k) => acc * ctx.radix[k]! + c, 0);
      const b = score(bIdx);
      if (!a.feasible || !b.feasible) return;
      assert.ok(b.cost_usd_per_hour >= a.cost_usd_per_hour, `point ${i}`);
    }),
    { numRuns: 300 },
  );
});

test("larger tables never lower embedding time", () => {
  const small = buildScoringContext({
    ...plan,
    workloads: plan.workloads.map((w) => ({ ...w, axes: { ...w.axes, embedding_total_gb: 20 } })),
  });
  const large = buildScoringContext({
    ...plan,
    workloads: plan.workloads.map((w) => ({ ...w, axes: { ...w.axes, embedding_total_gb: 40 } })),
  });
  fc.assert(
    fc.property(anyPoint, (i) => {
      const d = indexToCoords(i, ctx.radix);
      const a = new Float64Array(NCOLS),
        b = new Float64Array(NCOLS);
      scoreIndexInto(small, d, a, 0);
      scoreIndexInto(large, d, b, 0);
      if (a[C.infeasible] !== 0 || b[C.infeasible] !== 0) return;
      const emb = (r: Float64Array) => r[C.t_embedding_s]! + r[C.t_hostlink_s]! + r[C.t_storage_s]! + r[C.t_ps_s]!;
      assert.ok(emb(b) >= emb(a) * (1 - 1e-12), `point ${i}: ${emb(b)} < ${emb(a)}`);
    }),
    { numRuns: 300 },
  );
});

test("every feasible point has finite outputs, utilisation in [0, 1] and power between its idle and peak sums", () => {
  const r = scoreRange(ctx, 0, total, true);
  const rows = r.pointRows!;
  for (let k = 0; k < r.pointIndex!.length; k++) {
    const o = k * NCOLS;
    for (let c = 0; c < NCOLS; c++) {
      // hbm_cache_share is NaN (an empty field) for every placement without an HBM share
      if (c === C.hbm_cache_share) continue;
      assert.ok(Number.isFinite(rows[o + c]!), `point ${r.pointIndex![k]} column ${c}`);
    }
    const share = rows[o + C.hbm_cache_share]!;
    assert.ok(Number.isNaN(share) || (share >= 0 && share <= 1), `HBM share ${share}`);
    const u = rows[o + C.accelerator_utilization]!;
    assert.ok(u >= 0 && u <= 1);
    const node = ctx.nodes[systemOf(r.pointIndex![k]!)]!;
    const idle =
      (node.isCpuOnly ? 0 : node.devices * node.accIdleW) + node.cpuIdleW + node.dramW + node.nicIdleW + node.ssdIdleW;
    const peak =
      (node.isCpuOnly ? 0 : node.devices * node.accPeakW) +
      node.cpuPeakW +
      node.dramW +
      node.nicActiveW +
      node.ssdActiveW;
    const f = 1 + ctx.env.chassisOverheadFraction;
    const w = rows[o + C.node_power_w]!;
    assert.ok(
      w >= idle * f * (1 - 1e-9) && w <= peak * f * (1 + 1e-9),
      `node power ${w} outside [${idle * f}, ${peak * f}]`,
    );
    let sum = 0;
    for (let t = C.t_compute_s; t <= C.t_overhead_s; t++) sum += rows[o + t]!;
    assert.ok(Math.abs(sum - rows[o + C.t_iteration_s]!) <= 1e-9 * sum, "the breakdown adds up to the iteration time");
  }
});

test("direction: once tables outgrow one server's HBM, host-DRAM and cached placements stay feasible", () => {
  const f = join(tempDir(), "big.yaml");
  writeFileSync(
    f,
    `schemaVersion: 1\nname: big\nsystems: [dgx-a100-40gb]\nnodes: [1]\nplacements: [hbm-table-wise, hbm-row-wise, host-dram, hbm-cache, auto]\nmodels: [{preset: dlrm-dle-tf2-xlarge}]\ntraining: {batch_size: [65536], precision: [fp16]}\n`,
  );
  const p = loadSpec(f).plan;
  const c = buildScoringContext(p);
  const r = scoreRange(c, 0, totalPoints(p), true);
  const codes = [0, 1, 2, 3, 4].map((i) => {
    const o = new Float64Array(NCOLS);
    scoreIndexInto(c, indexToCoords(i, c.radix), o, 0);
    return o[C.infeasible];
  });
  assert.equal(codes, [R["hbm-capacity"], R["hbm-capacity"], 0, 0, 0]); // 421 GiB of tables vs 8 x 40 GB
  assert.is(r.reasonCounts[0], 3);
});

test("direction: an all-to-all crossing one 100 Gb/s NIC per node bottlenecks scale-out", () => {
  const f = join(tempDir(), "nic.yaml");
  writeFileSync(
    f,
    `schemaVersion: 1\nname: nic\nsystems: [{id: a100-one-nic, compose: {accelerator: a100-sxm4-80gb, accelerators_per_node: 8, fabric: nvswitch2, host_link: pcie4-x16, host_cpu: epyc-7742, cpu_sockets: 2, host_memory_gb: 1024, nic: cx5-edr-100, nics_per_node: 1}}]\nnodes: [1, 4]\nplacements: [hbm-table-wise]\nmodels: [{preset: dlrm-mlperf-v1}]\ntraining: {batch_size: [65536], precision: [fp16]}\n`,
  );
  const p = loadSpec(f).plan;
  const c = buildScoringContext(p);
  const one = new Float64Array(NCOLS),
    four = new Float64Array(NCOLS);
  scoreIndexInto(c, Int32Array.of(0, 0, 0, 0, 0, 0), one, 0);
  scoreIndexInto(c, Int32Array.of(0, 0, 1, 0, 0, 0), four, 0);
  assert.is(BOTTLENECKS[four[C.bottleneck]!], "alltoall");
  assert.ok(
    four[C.throughput_samples_per_s]! < one[C.throughput_samples_per_s]!,
    "four nodes behind one NIC each are slower than one node",
  );
});

test.run();
