// Cost model v2 (issue 15): checks of direction and rule, each stated with the systems and settings it holds for.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildScoringContext } from "../src/engine/context.ts";
import { indexToCoords, totalPoints } from "../src/space/space.ts";
import { placementName, precisionName, scorePoint } from "../src/model/score-point.ts";
import { resolveStack, vendorOf } from "../src/model/software.ts";
import { loadFit } from "../src/fit/load.ts";
import { loadSpec } from "../src/spec/resolve.ts";
import { tempDir } from "./helpers.ts";

/** Best feasible throughput per system and workload of a sweep, with the committed fit. */
function best(spec: string): Map<string, number> {
  const file = join(tempDir(), "v2.yaml");
  writeFileSync(file, spec);
  const { plan } = loadSpec(file);
  const ctx = buildScoringContext(plan);
  const out = new Map<string, number>();
  for (let i = 0; i < totalPoints(plan); i++) {
    const [w, s, n, pl, b, pr] = [...indexToCoords(i, ctx.radix)] as number[];
    const p = scorePoint({
      node: ctx.nodes[s!]!,
      workload: ctx.workload(w!),
      nodes: ctx.nodeCounts[n!]!,
      placement: placementName(ctx.placementOf[pl!]!),
      psNodes: ctx.psNodesOf[pl!]!,
      batch: ctx.batchOf[b!]!,
      precision: precisionName(ctx.precisionOf[pr!]!),
      env: ctx.env,
      params: ctx.params,
    });
    const key = `${plan.systems[s!]!.id} ${plan.workloads[w!]!.model.id}`;
    if (p.feasible) out.set(key, Math.max(out.get(key) ?? 0, p.throughput_samples_per_s));
    else if (!out.has(key)) out.set(key, 0);
  }
  return out;
}

test("sparse vs dense: a DGX A100's advantage over a 2-socket Skylake node shrinks on a memory-bound model", () => {
  // Dense: a wide MLP (three 4096-wide layers each side) and one small table: compute-bound on both systems.
  // Sparse: 64 tables of 2 M rows with pooling 40 and a small MLP: gathers dominate on both.
  // The GPU server may use TF32 or FP32, the CPU node FP32; each takes its best placement.
  const r = best(`schemaVersion: 1
name: sparse-vs-dense
systems: [cpu-skylake-2s, dgx-a100-80gb]
nodes: [1]
placements: [hbm-table-wise, host-dram]
models:
  - inline:
      id: dense
      name: dense compute-bound
      dense_features: 512
      bottom_mlp: [4096, 4096, 64]
      top_mlp: [4096, 4096, 1]
      embedding_dim: 64
      interaction: { kind: dot }
      optimizer: sgd
      tables: [{ count: 1, rows: 1000, pooling: 1, zipf_alpha: 1.05 }]
  - inline:
      id: sparse
      name: sparse memory-bound
      dense_features: 13
      bottom_mlp: [64]
      top_mlp: [64, 1]
      embedding_dim: 64
      interaction: { kind: dot }
      optimizer: sgd
      tables: [{ count: 64, rows: 2000000, pooling: 40, zipf_alpha: 1.05 }]
training:
  batch_size: [65536]
  precision: [fp32, tf32]
`);
  const ratio = (m: string) => r.get(`dgx-a100-80gb ${m}`)! / r.get(`cpu-skylake-2s ${m}`)!;
  assert.ok(ratio("dense") > 0 && ratio("sparse") > 0, JSON.stringify([...r]));
  assert.ok(ratio("sparse") < ratio("dense"), `GPU/CPU sparse ${ratio("sparse")} vs dense ${ratio("dense")}`);
  if (process.env.SHOW_RATIOS) console.log(ratio("sparse"), ratio("dense"));
});

const mi300 = (software: string) => `schemaVersion: 1
name: vendor-check
systems: [mi300x-8, dgx-h100]
nodes: [1]
placements: [hbm-table-wise]
models: [{ preset: dlrm-mlperf-v1 }]
training:
  batch_size: [65536]
  precision: [fp16]${software ? `\n  software: ${software}` : ""}
`;

test("S3: HugeCTR is refused on AMD parts; with no stack named, each vendor runs its own (torchrec on AMD)", () => {
  const named = best(mi300("hugectr"));
  assert.is(named.get("mi300x-8 dlrm-mlperf-v1"), 0);
  assert.ok(named.get("dgx-h100 dlrm-mlperf-v1")! > 0);
  const byVendor = best(mi300(""));
  assert.ok(byVendor.get("mi300x-8 dlrm-mlperf-v1")! > 0);
  assert.is(vendorOf("AMD Instinct MI300X OAM 192 GB"), "amd");
  assert.is(resolveStack(loadFit().params, "hugectr").vendorMask & (1 << 2), 0);
});

test("D1: adding SSDs to a DGX H100 never lowers its throughput", () => {
  const r = best(`schemaVersion: 1
name: ssd-check
systems:
  - { id: no-ssd, compose: { accelerator: h100-sxm5-80gb, accelerators_per_node: 8, fabric: nvswitch3,
      host_cpu: xeon-platinum-8480c, cpu_sockets: 2, host_memory_gb: 2048, nic: cx7-ndr-400, nics_per_node: 8 } }
  - { id: with-ssd, compose: { accelerator: h100-sxm5-80gb, accelerators_per_node: 8, fabric: nvswitch3,
      host_cpu: xeon-platinum-8480c, cpu_sockets: 2, host_memory_gb: 2048, nic: cx7-ndr-400, nics_per_node: 8,
      ssd: nvme-pcie4-tlc, ssds_per_node: 8 } }
nodes: [1]
placements: [hbm-table-wise]
models: [{ preset: dlrm-mlperf-v1 }]
training:
  batch_size: [65536]
  precision: [fp16]
`);
  assert.ok(r.get("with-ssd dlrm-mlperf-v1")! >= r.get("no-ssd dlrm-mlperf-v1")!);
});

test.run();
