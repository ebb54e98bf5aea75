// The pruning bounds (model/bounds.ts, docs/cost-model.md section B) against the kernel: on random specs over every
// placement, stack, cost basis, data loading and catalog system (CPU-only, PCIe, NVSwitch, SSDs, AMD, Gaudi), every
// feasible point must score at most the bounds of its block, of its sub-block (one node count and placement) and
// of every batch bound that covers it, and at most its group's (node designs bounded together). A bound that stops being valid after a model change fails here.
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildScoringContext } from "../src/engine/context.ts";
import { BlockBounds } from "../src/engine/prune.ts";
import { scoreIndexInto } from "../src/engine/score.ts";
import { objectiveValue } from "../src/frontier/objectives.ts";
import { NCOLS } from "../src/model/result.ts";
import { PLACEMENTS } from "../src/schema/vocab.ts";
import { AXIS, indexToCoords, totalPoints } from "../src/space/space.ts";
import { loadSpec } from "../src/spec/resolve.ts";
import { tempDir } from "./helpers.ts";

const SYSTEMS = [
  "cpu-skylake-2s",
  "big-basin-v100",
  "zion-like",
  "dgx-a100-80gb",
  "dgx-h100",
  "hgx-h100-4gpu",
  "pcie-8x-a100-80gb",
  "pcie-8x-l40s",
  "mi300x-8",
  "gaudi2-8",
  "cpu-sapphire-rapids-2s",
];
/** Node designs that group (model/bound-group.ts): CPUs, DRAM sizes, NICs and their count vary. */
const GROUP =
  "{id: g, compose: {accelerator: [h100-sxm5-80gb, mi300x-oam-192gb], accelerators_per_node: 8, " +
  "fabric: [nvswitch3, pcie5-x16], host_cpu: [xeon-platinum-8480c, epyc-9654], cpu_sockets: 2, " +
  "host_memory_gb: [512, 4096], nic: [cx7-ndr-400, cx5-edr-100], nics_per_node: [1, 8], price_usd: [300000, 400000]}}";
const OBJECTIVES = [
  "samples_per_joule",
  "samples_per_usd",
  "throughput_samples_per_s",
  "neg_time_to_train_h",
  "neg_cost_per_run_usd",
];

/** Checks every feasible point of the plan in `file` against its block, sub-block and batch bounds. */
function checkBounds(file: string, composed: boolean): number {
  const { plan } = loadSpec(file);
  const ctx = buildScoringContext(plan);
  const bounds = new BlockBounds(ctx);
  if (composed) {
    assert.ok(bounds.groupCount < plan.systems.length - 8, "the composed designs are bounded in groups");
    const subgroups = new Set(bounds.subgroupOf).size;
    assert.ok(subgroups > bounds.groupCount && subgroups < plan.systems.length - 8, "and in subgroups by NIC");
  }
  const K = plan.objectives.length;
  const b = new Float64Array(K);
  const variants = new Float64Array(ctx.placementOf.length * K);
  const row = new Float64Array(NCOLS);
  const batches = ctx.batchOf.length;
  let feasible = 0;
  const total = totalPoints(plan);
  const check = (what: string, index: number) => {
    for (let k = 0; k < K; k++) {
      const v = objectiveValue(row, 0, plan.objectives[k]!);
      if (Number.isNaN(v)) continue; // an objective without a value at this point: nothing to bound
      assert.ok(v <= b[k]!, `${plan.objectives[k]} of point ${index} above its ${what} bound: ${v} > ${b[k]}`);
    }
  };
  for (let index = 0; index < total; index++) {
    const d = indexToCoords(index, ctx.radix);
    if (scoreIndexInto(ctx, d, row, 0) !== 0) continue;
    feasible++;
    const w = d[AXIS.workload]!,
      s = d[AXIS.system]!,
      n = d[AXIS.nodes]!,
      pl = d[AXIS.embedding_placement]!;
    bounds.ofGroup(w, bounds.groupOf[s]!, b);
    check("group", index);
    bounds.ofSubgroup(w, bounds.subgroupOf[s]!, b);
    check("subgroup", index);
    bounds.of(w, s, b, variants);
    check("block", index);
    b.set(variants.subarray(pl * K, (pl + 1) * K));
    check("placement variant", index);
    bounds.ofSub(w, s, n, pl, b, -1);
    check("sub-block", index);
    // a batch bound covers every batch up to its own (batches ascend in these specs)
    for (let j = d[AXIS.batch_size]!; j < batches; j++) {
      bounds.ofSub(w, s, n, pl, b, j);
      check(`batch ${ctx.batchOf[j]}`, index);
    }
  }
  return feasible;
}

test("every feasible point of random specs is within its group, subgroup, block, variant, sub-block and batch bounds", () => {
  let feasible = 0;
  fc.assert(
    fc.property(
      fc.subarray(SYSTEMS, { minLength: 1, maxLength: 3 }),
      fc.subarray([...PLACEMENTS], { minLength: 2, maxLength: 6 }),
      fc.subarray([1, 2, 3, 8, 32], { minLength: 1, maxLength: 3 }),
      fc.subarray([512, 8192, 65536, 1048576], { minLength: 1, maxLength: 3 }),
      fc.subarray(["fp32", "tf32", "fp16", "bf16"], { minLength: 1, maxLength: 2 }),
      fc.constantFrom("unspecified", "pytorch", "tensorflow", "torchrec", "hugectr", "pytorch@dle-2022"),
      fc.subarray(OBJECTIVES, { minLength: 2, maxLength: 3 }),
      fc.boolean(),
      fc.boolean(),
      fc.constantFrom(1, 100, 3000),
      fc.constantFrom("dlrm-mlperf-v1", "dlrm-dcnv2-mlperf", "dlrm-dle-pytorch-small", "torchrec-dlrm"),
      fc.boolean(),
      (systems, placements, nodes, batches, precisions, software, objectives, cloud, readers, gb, model, composed) => {
        const file = join(tempDir(), "bounds.yaml");
        // a per-run objective needs the samples of a run: the model's own, else training.samples_to_train (a spec
        // asking it of a model without them is refused)
        const perRun =
          objectives.some((o) => o.startsWith("neg_")) && model === "dlrm-dle-pytorch-small"
            ? ", samples_to_train: 1000000000"
            : "";
        writeFileSync(
          file,
          `schemaVersion: 1\nname: bounds\nsystems: [${systems.join(", ")}${composed ? `, ${GROUP}` : ""}]\n` +
            `nodes: [${nodes.join(", ")}]\n` +
            `placements: [${placements.join(", ")}]\nps_nodes: [1, 4]\n` +
            `models: [{preset: ${model}, sweep: {embedding_total_gb: [${gb}], embedding_dim: [16, 128]}}]\n` +
            `training: {batch_size: [${batches.join(", ")}], precision: [${precisions.join(", ")}], ` +
            `software: ${software}${readers ? ", data_loading: readers" : ""}${perRun}}\n` +
            `objectives: [${objectives.join(", ")}]\n${cloud ? "cost: {basis: cloud}\n" : ""}` +
            "output: {points_csv: false, report: false}\n",
        );
        feasible += checkBounds(file, composed);
      },
    ),
    { numRuns: 150, seed: 20261130 },
  );
  assert.ok(feasible > 1000, `only ${feasible} feasible points checked`);
});

test.run();
