// scorePoint, the typed way to score one point: the same figures as the kernel's row, by name; a case by hand.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildScoringContext } from "../src/engine/context.ts";
import { scoreIndexInto } from "../src/engine/score.ts";
import { indexToCoords, totalPoints } from "../src/space/space.ts";
import { jobEnv } from "../src/model/env.ts";
import { buildNodeModel } from "../src/model/node.ts";
import { PRIOR_PARAMS } from "../src/model/params.ts";
import { resolveStack } from "../src/model/software.ts";
import { BOTTLENECKS, C, INFEASIBLE_REASONS, NCOLS } from "../src/model/result.ts";
import { placementName, precisionName, scorePoint, type PointTimes } from "../src/model/score-point.ts";
import { buildWorkload } from "../src/model/workload.ts";
import type { Model } from "../src/schema/catalog.ts";
import { PLACEMENTS } from "../src/schema/vocab.ts";
import { loadSpec } from "../src/spec/resolve.ts";
import { tempDir } from "./helpers.ts";

const close = (a: number, b: number, rel = 1e-12) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} != ${b}`);

// Every placement, a CPU-only and two GPU systems, one and two nodes, parameter servers, readers and a run length.
const specFile = join(tempDir(), "every-placement.yaml");
writeFileSync(
  specFile,
  `schemaVersion: 1
name: every-placement
systems: [cpu-skylake-2s, big-basin-v100, dgx-h100]
nodes: [1, 2]
placements: [${PLACEMENTS.join(", ")}]
ps_nodes: [2]
models:
  - preset: dlrm-mlperf-v1
  - preset: deeprecsys-rmc3
training:
  batch_size: [8192, 65536]
  precision: [fp32, fp16]
  samples_to_train: 1000000000
`,
);
const { plan } = loadSpec(specFile);
const ctx = buildScoringContext(plan);

/** Point `index` of the sweep through scorePoint, with the engine's inputs. */
function scoreByName(index: number) {
  const [w, s, n, pl, b, pr] = [...indexToCoords(index, ctx.radix)] as [number, number, number, number, number, number];
  return scorePoint({
    node: ctx.nodes[s]!,
    workload: ctx.workload(w),
    nodes: ctx.nodeCounts[n]!,
    placement: placementName(ctx.placementOf[pl]!),
    psNodes: ctx.psNodesOf[pl]!,
    batch: ctx.batchOf[b]!,
    precision: precisionName(ctx.precisionOf[pr]!),
    env: ctx.env,
    params: ctx.params,
  });
}

test("scorePoint names the same bottleneck, times and figures as the kernel's row, for every placement", () => {
  const feasibleByPlacement = new Map<string, number>();
  const row = new Float64Array(NCOLS);
  for (let i = 0; i < totalPoints(plan); i++) {
    const d = indexToCoords(i, ctx.radix);
    const code = scoreIndexInto(ctx, d, row, 0);
    const p = scoreByName(i);
    assert.is(p.feasible, code === 0, `point ${i}`);
    assert.is(p.reason, code === 0 ? null : INFEASIBLE_REASONS[code], `point ${i}`);
    if (code !== 0) continue;
    const placement = PLACEMENTS[plan.placements[d[3]!]!.placement]!;
    feasibleByPlacement.set(placement, (feasibleByPlacement.get(placement) ?? 0) + 1);
    assert.is(p.bottleneck, BOTTLENECKS[row[C.bottleneck]!], `point ${i}`);
    BOTTLENECKS.forEach((t) => assert.is(p.time[`${t}_s`], row[C[`t_${t}_s`]], `point ${i}: ${t}`));
    assert.is(p.time.iteration_s, row[C.t_iteration_s]);
    for (const column of [
      "throughput_samples_per_s",
      "power_w",
      "cost_usd_per_hour",
      "samples_per_joule",
      "samples_per_usd",
      "node_power_w",
      "total_nodes",
      "reader_nodes",
      "time_to_train_h",
      "energy_per_run_kwh",
      "cost_per_run_usd",
      "accelerator_utilization",
      "memory_used_fraction",
    ] as const) {
      assert.is(p[column], row[C[column]], `point ${i}: ${column}`);
    }
  }
  assert.equal([...feasibleByPlacement.keys()].sort(), [...PLACEMENTS].sort(), "every placement has feasible points");
});

test("scorePoint's time line adds up to the iteration, and its bottleneck is the largest term", () => {
  for (let i = 0; i < totalPoints(plan); i += 7) {
    const p = scoreByName(i);
    if (!p.feasible) continue;
    const terms = BOTTLENECKS.map((t) => p.time[`${t}_s` as keyof PointTimes]);
    close(
      terms.reduce((a, b) => a + b, 0),
      p.time.iteration_s,
      1e-9,
    );
    if (p.bottleneck !== "data") assert.is(p.time[`${p.bottleneck!}_s`], Math.max(...terms), `point ${i}`);
  }
});

test("scorePoint gives the detail of a feasible point and none for a point rejected before its figures", () => {
  const feasible = scoreByName([...Array(totalPoints(plan)).keys()].find((i) => scoreByName(i).feasible)!);
  assert.ok(feasible.detail && feasible.detail.localBatch > 0);
  // the CPU-only system with an HBM placement: rejected first, no time line and no detail
  const rejected = scoreByName(0);
  assert.is(rejected.reason, "needs-accelerator");
  assert.is(rejected.bottleneck, null);
  assert.is(rejected.detail, null);
});

test("the kernel writes every column of a feasible point: a reused row left dirty gives the zeroed row's figures", () => {
  const dirty = new Float64Array(NCOLS).fill(Number.NaN);
  let feasible = 0;
  for (let i = 0; i < totalPoints(plan); i++) {
    const d = indexToCoords(i, ctx.radix);
    const code = scoreIndexInto(ctx, d, dirty, 0); // whatever the previous point, feasible or not, left in it
    if (code !== 0) continue;
    const fresh = new Float64Array(NCOLS);
    assert.is(scoreIndexInto(ctx, d, fresh, 0), 0);
    for (let k = 0; k < NCOLS; k++) assert.ok(Object.is(dirty[k], fresh[k]), `point ${i}, column ${k}`);
    feasible++;
  }
  assert.ok(feasible > 100, `${feasible} feasible points`);
});

test("scorePoint refuses an unknown placement name, and remote-ps without parameter servers", () => {
  const base = {
    node: ctx.nodes[1]!,
    workload: ctx.workload(0),
    nodes: 1,
    batch: 8192,
    precision: "fp16" as const,
    env: ctx.env,
    params: ctx.params,
  };
  assert.throws(() => scorePoint({ ...base, placement: "hbm-everywhere" as never }), /unknown placement/);
  assert.throws(() => scorePoint({ ...base, placement: "remote-ps" }), /remote-ps needs psNodes/);
  assert.ok(scorePoint({ ...base, placement: "remote-ps", psNodes: 2 }).feasible);
});

/**
 * The by-hand case: 16 dense features, no bottom MLP, one table of 1,000 rows of dim 16 (fp32, SGD), pooling 1, cat
 * interaction, top MLP [1] (the top layer's input is 16 + 16 = 32, so one layer 32 -> 1), on one accelerator of
 * 1 TFLOPS and 1 TB/s whose SSDs never show; GEMMs at half of peak whatever their size, gathers at full bandwidth,
 * no activation passes, 0.01 us per kernel, under `software` at maturity 1 with `hostOpS` per eager operator.
 */
function byHand(software: string, hostOpS: number) {
  const model = {
    id: "by-hand",
    name: "by hand",
    dense_features: 16,
    bottom_mlp: [],
    top_mlp: [1],
    embedding_dim: 16,
    interaction: { kind: "cat" },
    optimizer: "sgd",
    tables: [{ count: 1, rows: 1000, pooling: 1, zipf_alpha: 0 }],
  } as unknown as Model;
  const base = buildNodeModel(plan.systems.find((s) => s.id === "big-basin-v100")!, plan.tco);
  const node = { ...base, devices: 1, peakFlops: [1e12, 1e12, 1e12, 1e12, 1e12], memBwPerDevice: 1e12, ssdBw: 1e12 };
  const params = {
    ...PRIOR_PARAMS,
    gpu_gemm_eff_max: 0.5,
    gpu_gemm_half_rows: 0,
    hbm_gather_eff_max: 1,
    gather_half_row_bytes: 0,
    activation_passes: 0,
    kernel_time_s: 1e-8,
    host_op_cpp_s: 0,
    host_op_eager_s: hostOpS,
    software: { [software]: { efficiency: 1 } },
  };
  const env = jobEnv(plan.tco, buildNodeModel(plan.psSystem, plan.tco), resolveStack(params, software));
  const input = { node, workload: buildWorkload(model, {}), nodes: 1, batch: 1000, precision: "fp32" as const };
  return scorePoint({ ...input, placement: "hbm-table-wise", env, params });
}

test("by hand: one device, one table, one layer: 0.384 us of compute, 0.192 us of gathers, bound by compute", () => {
  const p = byHand("hugectr", 0);
  // C1: f = 2 x 1000 samples x 32 x 1 = 64,000 FLOP; t = 3 f / (1e12 x 0.5) = 3.84e-7 s
  close(p.time.compute_s, 3.84e-7);
  // E0: a lookup reads 64 bytes forward and reads and writes them backward: 192 bytes per sample.
  // E2: 1000 samples x 192 bytes on the one device, at 1e12 B/s x E1 efficiency 1: 1.92e-7 s
  close(p.time.embedding_s, 1.92e-7);
  // N1, N2: one device exchanges nothing; D1: 1000 x 72 bytes at 1e12 B/s = 7.2e-8 s, hidden by the rest
  assert.is(p.time.alltoall_s, 0);
  assert.is(p.time.allreduce_s, 0);
  assert.is(p.time.data_s, 0);
  // F1: HugeCTR fuses the tables: 4 kernels x 1 layer + 10 others + 8 embedding = 22 kernels x 1e-8 s = 2.2e-7 s;
  // F2: no host time per operator. T1: 3.84e-7 + 1.92e-7 + 2.2e-7 = 7.96e-7 s per iteration of 1000 samples
  close(p.time.overhead_s, 2.2e-7);
  close(p.time.iteration_s, 7.96e-7);
  close(p.throughput_samples_per_s, 1000 / 7.96e-7);
  assert.is(p.bottleneck, "compute");
  // E7, E8: MLP state 33 parameters x 8 bytes; activations 2 x 1000 x (1 x 4 + 16 x 4) bytes; the table 64,000 bytes
  assert.is(p.detail!.mlpStateBytes, 264);
  assert.is(p.detail!.activationBytes, 136000);
  assert.is(p.detail!.onDeviceBytes, 64000);
});

test("by hand, eager PyTorch: a table whose backward synchronises adds its backward's host and device time (F3)", () => {
  const p = byHand("pytorch", 1e-6);
  // F1: one table handled alone: 4 kernels x 1 layer + 10 others + 12 for the table = 26 kernels x 1e-8 = 2.6e-7 s
  // device: 3.84e-7 (C1) + 1.92e-7 (E2) + 2.6e-7 = 8.36e-7 s. F2: the host issues 26 operators x 1e-6 = 2.6e-5 s.
  // F3: the table's backward, 8 operators x 1e-6 = 8e-6 s on the host, and on the device its 8 kernels and 2
  // synchronisations x 1e-8 = 1e-7 s plus the gathers' backward share (E0: 2 of 3 row passes) 1.28e-7 s = 2.28e-7 s.
  // t = max(8.36e-7 - 2.28e-7, 2.6e-5 - 8e-6) + 8e-6 + 2.28e-7 = 2.6228e-5 s; without F3 max(host, device) = 2.6e-5
  close(p.time.iteration_s, 2.6228e-5);
  close(p.time.overhead_s, 2.6228e-5 - 8.36e-7 + 2.6e-7);
  assert.is(p.bottleneck, "overhead");
});

test("the host-lookup exchange crosses the NICs and powers them, on a rack-scale fabric's nodes too (N6, P1)", () => {
  const node = buildNodeModel(plan.systems.find((s) => s.id === "dgx-h100")!, plan.tco);
  const point = (domainNodes: number) =>
    scorePoint({
      node: { ...node, domainNodes },
      workload: ctx.workload(0),
      nodes: 2,
      placement: "host-cpu-lookup",
      batch: 65536,
      precision: "fp16",
      env: ctx.env,
      params: ctx.params,
    });
  const plain = point(1),
    inDomain = point(18);
  assert.ok(plain.feasible && inDomain.feasible && plain.detail!.alltoallS > 0);
  // the pooled vectors travel host to host over the NICs whether or not the nodes share a fabric domain (the
  // gradient all-reduce does take the domain's NVLink), and the NICs draw more than idle power while they do
  close(inDomain.detail!.alltoallS, plain.detail!.alltoallS);
  assert.ok(inDomain.detail!.allreduceS < plain.detail!.allreduceS);
  assert.ok(inDomain.detail!.nicW > node.nicIdleW, `${inDomain.detail!.nicW} W, idle ${node.nicIdleW} W`);
});

test.run();
