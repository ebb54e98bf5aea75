// Placement controls (issue 15, item 4; docs/cost-model.md E4, E6, E8, E12): the HBM share of hbm-cache and
// hbm-split as a swept setting, `auto` as a ladder whose choice is written out, and capacity checks that treat
// tables as whole unless the placement splits rows, with activations subtracted before the cache is sized.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildScoringContext } from "../src/engine/context.ts";
import { cacheHitRate } from "../src/model/memory.ts";
import { scorePoint, type PointInputs } from "../src/model/score-point.ts";
import { buildTierContext, MEMORY_RESERVE_FRACTION } from "../src/model/tiers.ts";
import { buildWorkload } from "../src/model/workload.ts";
import type { Model } from "../src/schema/catalog.ts";
import type { Placement } from "../src/schema/vocab.ts";
import { placementLabels } from "../src/space/space.ts";
import { loadSpec } from "../src/spec/resolve.ts";
import { designSpaceSize } from "../src/spec/size.ts";
import type { SweepSpec } from "../src/schema/spec.ts";
import { tempDir } from "./helpers.ts";

function planOf(yaml: string) {
  const file = join(tempDir(), "spec.yaml");
  writeFileSync(file, yaml);
  return loadSpec(file);
}

const base = `schemaVersion: 1
name: placement-controls
systems: [cpu-skylake-2s, dgx-a100-80gb]
nodes: [1]
models: [{ preset: dlrm-mlperf-v1 }]
`;

const { plan } = planOf(`${base}placements: [hbm-table-wise, hbm-cache, hbm-split, auto]
training: { batch_size: [65536], precision: [fp16] }
`);
const ctx = buildScoringContext(plan);
const cpu = ctx.nodes[0]!,
  gpu = ctx.nodes[1]!;

/** One table of `rows` rows x 128 fp32, Adagrad, Zipf 1.05: a model whose size the test chooses. */
function oneTable(rows: number) {
  const model: Model = {
    id: "one-table",
    name: "one table",
    dense_features: 13,
    bottom_mlp: [128],
    top_mlp: [128, 1],
    embedding_dim: 128,
    interaction: { kind: "cat" },
    optimizer: "adagrad",
    tables: [{ count: 1, rows, pooling: 1, zipf_alpha: 1.05 }],
    sources: [{ ref: "test", supports: "a table of a chosen size" }],
  } as unknown as Model;
  return buildWorkload(model, {});
}

const score = (over: Partial<PointInputs> & { placement: Placement }) =>
  scorePoint({
    node: gpu,
    workload: ctx.workload(0),
    nodes: 1,
    batch: 65536,
    precision: "fp16",
    env: ctx.env,
    params: ctx.params,
    ...over,
  });

test("training.hbm_cache_share makes one hbm-cache and one hbm-split variant per share, other placements one", () => {
  const { plan: p } = planOf(`${base}placements: [hbm-table-wise, hbm-cache, hbm-split, remote-ps]
ps_nodes: [2, 4]
training: { batch_size: [65536], hbm_cache_share: [0.25, 0.5] }
`);
  assert.equal(placementLabels(p), [
    "hbm-table-wise",
    "hbm-cache (share 0.25)",
    "hbm-cache (share 0.5)",
    "hbm-split (share 0.25)",
    "hbm-split (share 0.5)",
    "remote-ps (2 ps)",
    "remote-ps (4 ps)",
  ]);
  assert.is(designSpaceSize(p.spec as SweepSpec).factors.placements, 7, "the size counted from the spec agrees");
});

test("without hbm_cache_share, hbm-cache caches as much as fits, and all of a model that fits", () => {
  const small = score({ placement: "hbm-cache" });
  const tableWise = score({ placement: "hbm-table-wise" });
  assert.ok(small.feasible && tableWise.feasible);
  assert.is(small.hbm_cache_share, 1);
  assert.is(small.throughput_samples_per_s, tableWise.throughput_samples_per_s, "everything cached: E2's time");
  assert.is(small.time.hostlink_s, 0);
  assert.ok(Number.isNaN(tableWise.hbm_cache_share), "placements without an HBM share leave it empty");
});

test("an hbm-cache share below 1 hits E4's rate at that share and counts the cache in memory_used_fraction", () => {
  const w = oneTable(4e6);
  const half = score({ placement: "hbm-cache", workload: w, hbmShare: 0.5 });
  const full = score({ placement: "hbm-cache", workload: w, hbmShare: 1 });
  assert.ok(half.feasible && full.feasible);
  assert.is(half.hbm_cache_share, 0.5);
  const hit = cacheHitRate(w, 0.5 * w.embBytes);
  assert.ok(Math.abs(half.detail!.cacheHitRate - hit) < 1e-12, "E4 at c = 0.5");
  assert.ok(half.time.hostlink_s > 0 && full.time.hostlink_s === 0, "misses cross the host link");
  const d = half.detail!;
  const used = (d.onDeviceBytes + d.mlpStateBytes + d.activationBytes) / gpu.memBytesPerDevice;
  assert.ok(Math.abs(half.memory_used_fraction - used) < 1e-12);
  assert.ok(Math.abs(d.onDeviceBytes - 0.5 * w.embBytes) < 1, "the cache holds half the table's bytes");
});

test("the default cache is sized after activations: a larger batch leaves a smaller cache", () => {
  const w = oneTable(200e6); // ~205 GB of weights and Adagrad state: larger than the 80 GB device
  const at = (batch: number) => score({ placement: "hbm-cache", workload: w, batch });
  const small = at(8192),
    large = at(1048576);
  assert.ok(small.feasible && large.feasible);
  assert.ok(large.hbm_cache_share < small.hbm_cache_share, `${large.hbm_cache_share} < ${small.hbm_cache_share}`);
  for (const p of [small, large]) {
    const d = p.detail!;
    const free = gpu.memBytesPerDevice * (1 - MEMORY_RESERVE_FRACTION);
    assert.ok(Math.abs(d.onDeviceBytes + d.mlpStateBytes + d.activationBytes - free) < 1e-6 * free, "fills HBM");
  }
});

test("a given share that does not fit next to the activations is infeasible as hbm-capacity", () => {
  const w = oneTable(200e6);
  const p = score({ placement: "hbm-cache", workload: w, hbmShare: 0.9 });
  assert.is(p.reason, "hbm-capacity");
});

test("hbm-split serves its share of lookups from HBM and keeps only the rest in host DRAM", () => {
  const w = oneTable(4e6);
  const split = score({ placement: "hbm-split", workload: w, hbmShare: 0.5 });
  const host = score({ placement: "host-dram", workload: w });
  const all = score({ placement: "hbm-table-wise", workload: w });
  assert.ok(split.feasible && host.feasible && all.feasible);
  const rel = (a: number, b: number) => Math.abs(a - b) / b;
  assert.ok(rel(split.time.embedding_s, all.time.embedding_s / 2) < 1e-9, "half of E2's gathers");
  assert.ok(rel(split.time.hostlink_s, host.time.hostlink_s / 2) < 1e-9, "half of E3's host-link reads");
  assert.ok(rel(split.detail!.onHostBytesPerNode, w.embBytes / 2) < 1e-9, "the other half only in host DRAM");
  assert.ok(rel(split.detail!.onDeviceBytes, w.embBytes / 2) < 1e-9);
});

test("a table larger than one device fits hbm-split and hbm-mixed but not hbm-table-wise or hbm-hybrid", () => {
  const w = oneTable(75e6); // ~77 GB with Adagrad: over one A100-80GB's 72 GB usable, under 8 x 72 GB
  assert.ok(w.maxTableBytes > gpu.memBytesPerDevice * (1 - MEMORY_RESERVE_FRACTION));
  assert.ok(w.maxTableBytes < gpu.devices * gpu.memBytesPerDevice);
  assert.is(score({ placement: "hbm-table-wise", workload: w }).reason, "hbm-capacity");
  assert.is(score({ placement: "hbm-hybrid", workload: w }).reason, "hbm-capacity");
  const auto = score({ placement: "auto", workload: w });
  assert.ok(auto.feasible);
  assert.is(auto.placement_resolved, "hbm-cache", "auto does not put a table in HBM that one device cannot hold");
  const mixed = score({ placement: "hbm-mixed", workload: w });
  assert.ok(Math.abs(mixed.detail!.onDeviceBytes - w.embBytes / gpu.devices) < 1e-9 * w.embBytes, "1/G each");
  assert.ok(score({ placement: "hbm-split", workload: w }).feasible);
});

test("auto is scored as the placement it resolves to, writes which, and follows E6's ladder", () => {
  const fits = score({ placement: "auto" });
  const tableWise = score({ placement: "hbm-table-wise" });
  assert.is(fits.placement_resolved, "hbm-table-wise");
  assert.is(tableWise.placement_resolved, "hbm-table-wise", "a concrete placement resolves to itself");
  assert.equal(
    { ...fits, placement_resolved: "", detail: null },
    { ...tableWise, placement_resolved: "", detail: null },
  );
  const big = oneTable(200e6);
  const cached = score({ placement: "auto", workload: big });
  assert.is(cached.placement_resolved, "hbm-cache");
  assert.is(cached.throughput_samples_per_s, score({ placement: "hbm-cache", workload: big }).throughput_samples_per_s);
  const onCpu = score({ placement: "auto", node: cpu, precision: "fp32" });
  assert.is(onCpu.placement_resolved, "host-dram", "CPU trainers: host DRAM first");
  const huge = oneTable(20e9); // ~20 TB: no tier of one node holds it, and the DGX has no SSD tier to fall to
  const none = score({ placement: "auto", workload: huge });
  assert.is(none.reason, gpu.ssdCount > 0 ? null : "host-dram-capacity");
});

test("scorePoint refuses an HBM share outside (0, 1]", () => {
  assert.throws(() => score({ placement: "hbm-cache", hbmShare: 0 }), /hbmShare must be in \(0, 1\]/);
  assert.throws(() => score({ placement: "hbm-cache", hbmShare: 1.5 }), /hbmShare/);
});

test("the hot loop's E4 (TierContext.cacheHitAt) equals memory.ts cacheHitRate at any share and skew", () => {
  for (const alpha of [0, 0.5, 1, 1.05, 2]) {
    const model = { ...(plan.workloads[0]!.model as Model) };
    model.tables = model.tables.map((t) => ({ ...t, zipf_alpha: alpha }));
    const w = buildWorkload(model, {});
    const tiers = buildTierContext(w, gpu, 1);
    for (const share of [1e-9, 0.001, 0.1, 0.5, 0.99, 1]) {
      const want = cacheHitRate(w, share * w.embBytes);
      assert.ok(Math.abs(tiers.cacheHitAt(share) - want) < 1e-12, `alpha ${alpha}, share ${share}`);
    }
  }
});

test("a default cache that fills HBM never fails hbm-capacity by rounding (big-basin-v100, every batch and size)", () => {
  const { plan: p } = planOf(`schemaVersion: 1
name: rounding
systems: [big-basin-v100]
nodes: [1, 2, 4, 8, 16]
placements: [hbm-cache]
models: [{ preset: dlrm-mlperf-v1 }]
training: { batch_size: { from: 4096, to: 65536, steps: 37, scale: log }, precision: [fp32, fp16] }
`);
  const c = buildScoringContext(p);
  let checked = 0;
  for (const nodes of p.nodes)
    for (const batch of p.batches)
      for (const precision of ["fp32", "fp16"] as const) {
        const inputs = { node: c.nodes[0]!, workload: c.workload(0), nodes, batch, precision, params: c.params };
        const free = scorePoint({ ...inputs, placement: "hbm-cache", env: { ...c.env, enforceCapacity: false } });
        const d = free.detail!;
        const room =
          c.nodes[0]!.memBytesPerDevice * (1 - MEMORY_RESERVE_FRACTION) - d.mlpStateBytes - d.activationBytes;
        const p1 = scorePoint({ ...inputs, placement: "hbm-cache", env: c.env });
        if (room > 0 && d.onHostBytesPerNode <= c.nodes[0]!.dramBytes * (1 - MEMORY_RESERVE_FRACTION)) {
          assert.ok(p1.feasible, `${nodes} nodes, batch ${batch}, ${precision}: ${p1.reason}`);
          checked++;
        }
      }
  assert.ok(checked > 100, `${checked} points checked`);
});

test.run();
