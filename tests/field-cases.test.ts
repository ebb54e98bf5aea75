// The handed field cases (tests/fixtures/field-cases/README.md: published DLRM training results, their sources and
// configurations), run as a user would, with the committed fit. A case passes within 25 % of the published figure or
// in the published direction. What the model does not yet reproduce is listed in docs/cost-model.md, "Field cases".
import { test } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { buildScoringContext } from "../src/engine/context.ts";
import { indexToCoords, totalPoints } from "../src/space/space.ts";
import { placementName, precisionName, scorePoint } from "../src/model/score-point.ts";
import { loadSpec } from "../src/spec/resolve.ts";
import { FIXTURES } from "./helpers.ts";
import type { Placement } from "../src/schema/vocab.ts";

const DIR = join(FIXTURES, "field-cases");

/** Throughput of every feasible point, keyed "system placement batch precision". */
function points(spec: string, catalog?: string): Map<string, number> {
  const { plan } = loadSpec(join(DIR, spec), catalog ? join(DIR, catalog) : undefined);
  const ctx = buildScoringContext(plan);
  const out = new Map<string, number>();
  for (let i = 0; i < totalPoints(plan); i++) {
    const [w, s, n, pl, b, pr] = [...indexToCoords(i, ctx.radix)] as number[];
    const placement = placementName(ctx.placementOf[pl!]!);
    const p = scorePoint({
      node: ctx.nodes[s!]!,
      workload: ctx.workload(w!),
      nodes: ctx.nodeCounts[n!]!,
      placement,
      psNodes: ctx.psNodesOf[pl!]!,
      batch: ctx.batchOf[b!]!,
      precision: precisionName(ctx.precisionOf[pr!]!),
      env: ctx.env,
      params: ctx.params,
    });
    const key = `${plan.systems[s!]!.id} ${placement} ${ctx.batchOf[b!]} ${precisionName(ctx.precisionOf[pr!]!)}`;
    if (p.feasible) out.set(key, p.throughput_samples_per_s);
  }
  return out;
}

const within25 = (pred: number, obs: number, what: string) =>
  assert.ok(pred / obs >= 0.8 && pred / obs <= 1.25, `${what}: predicted/observed ${(pred / obs).toFixed(2)}`);

// FC-07 (Oneflow-Inc/DLPerf HugeCTR/dlrm/README.md, one V100-SXM2-32GB, FP32): measured ms per iteration.
const FC07_MS: Record<number, number> = { 16: 0.687, 64: 0.785, 256: 1.206, 1024: 2.699, 4096: 8.86, 16384: 33.391 };

test("FC-07: one V100, HugeCTR, FP32: batches 1024 to 16384 within 25 %, smaller ones faster with the batch", () => {
  const r = points("FC-07.yaml");
  for (const b of [1024, 4096, 16384]) {
    within25(r.get(`v100x1 hbm-table-wise ${b} fp32`)!, b / (FC07_MS[b]! / 1000), `batch ${b}`);
  }
  // Below 1024 the model is too fast (predicted/observed 2.25 at 16, 1.96 at 64, 1.55 at 256; 1.18 at 1024, with the
  // eleventh session's fit; 1.85, 1.67, 1.39 and 1.10 with the tenth's): the measured step is 0.655 ms + 2.0 us per
  // sample at every batch, a fixed time that the model's kernel floors (F1, F2: 54 kernels at the fitted 2.3 us) put
  // at about 0.13 ms. DLPerf's dlrm.py runs HugeCTR 3.2 with unfused FP32 layers
  // (InnerProduct + ReLU) and no MLPerf-style CUDA graph over the step; no fitted row identifies such a stack's
  // per-kernel host cost. The previous fit came within 25 % here only because its GEMM half-rows sat at their upper
  // bound, standing in for that fixed time; with C5 the fit no longer needs it (docs/cost-model.md, Field cases).
  // The direction holds: throughput rises with the batch at every step, and no small batch is off by 3x or more.
  let previous = 0;
  for (const b of [16, 64, 256]) {
    const pred = r.get(`v100x1 hbm-table-wise ${b} fp32`)!;
    const ratio = pred / (b / (FC07_MS[b]! / 1000));
    assert.ok(pred > previous, `batch ${b}: throughput rises with the batch`);
    assert.ok(ratio >= 0.5 && ratio < 3, `batch ${b}: predicted/observed ${ratio.toFixed(2)}`);
    previous = pred;
  }
});

test("FC-08: eight V100 on a hybrid cube-mesh are slower than one at every batch (host-staged exchange)", () => {
  const r = points("FC-08.yaml");
  for (const b of [16, 64, 256, 1024, 4096, 16384, 32768]) {
    const one = r.get(`v100x1 hbm-table-wise ${b} fp32`)!,
      eight = r.get(`v100x8 hbm-table-wise ${b} fp32`)!;
    assert.ok(eight < one, `batch ${b}: 8 GPUs ${eight} vs 1 GPU ${one}`);
  }
});

test("FC-14: global batch 128 on 2 and 4 V100 (one PyTorch process) is slower than on one", () => {
  const r = points("FC-14.yaml");
  const one = r.get("v100-16gb-x1 hbm-table-wise 128 fp32")!;
  assert.ok(r.get("v100-16gb-x2 hbm-table-wise 128 fp32")! < one);
  assert.ok(r.get("v100-16gb-x4 hbm-table-wise 128 fp32")! < r.get("v100-16gb-x2 hbm-table-wise 128 fp32")!);
});

test("FC-11: 248 small tables in eager PyTorch, whose per-table backward synchronises: within 25 % on one A100", () => {
  const r = points("FC-11.yaml");
  // v1 predicted 3.57x the published 5,951 samples/s, v2 without F3 1.41x: the host's operators and the device's
  // kernels overlapped although each table's backward reads a count back from the device (docs/cost-model.md F3)
  within25(r.get("a100-40gb-x1 hbm-table-wise 1024 tf32")!, 5951, "FC-11 A100-40GB TF32");
});

// FC-16 (NGC dle/dlrm_tf2 performance page, DGX A100 8x A100-80GB, batch 65,536): time to train 'large' (84.9 GiB of
// tables) 6.57 / 8.77 min and 'extra large' (421 GiB) 9.08 / 10.47 min (AMP / TF32), so extra large runs at 0.724 /
// 0.838 of large. Its four ~95 GB tables fit no GPU whole: the planners split such tables by rows and keep the rest
// whole, which hbm-mixed models (E2m); the large model's tables all fit whole (hbm-table-wise, as auto finds).
test("FC-16: 421 GiB of tables on one DGX A100, split where they must be: within 25 % of 0.72 / 0.84 of 85 GiB", () => {
  const { plan } = loadSpec(join(DIR, "FC-16.yaml"));
  const ctx = buildScoringContext(plan);
  const at = (w: number, placement: Placement, precision: "fp16" | "tf32") =>
    scorePoint({
      node: ctx.nodes[0]!,
      workload: ctx.workload(w),
      nodes: 1,
      placement,
      batch: 65536,
      precision,
      env: ctx.env,
      params: ctx.params,
    });
  for (const [precision, published] of [
    ["fp16", 6.57 / 9.08],
    ["tf32", 8.77 / 10.47],
  ] as const) {
    const large = at(0, "auto", precision),
      xl = at(1, "hbm-mixed", precision);
    assert.is(large.placement_resolved, "hbm-table-wise");
    assert.ok(xl.feasible, `extra large as hbm-mixed: ${xl.reason}`);
    assert.is(at(1, "hbm-table-wise", precision).reason, "hbm-capacity");
    within25(xl.throughput_samples_per_s / large.throughput_samples_per_s, published, `FC-16 ${precision}`);
  }
});

// FC-17 (alibaba/TorchEasyRec PR 508, dynamicemb on one A10, one 4M x 128 table, Adam, Zipf 1.05): the embedding's
// forward+backward time with all rows in HBM 0.80 ms; with an HBM cache of a share below 1 in front of a host copy
// 2.63 ms (3.3x); with the rows split between HBM and host memory, no cache, 5.44 ms (6.8x). The batch is not
// stated, so the test compares ratios of the embedding's own time (E2 gathers plus E3 host-link reads), not steps.
const FC17 = { cache: 2.63 / 0.8, split: 5.44 / 0.8 };

test("FC-17: an HBM cache of half the table sits between all-HBM and a row split without cache, at every batch", () => {
  const { plan } = loadSpec(join(DIR, "FC-17.yaml"), join(DIR, "FC-17-catalog"));
  const ctx = buildScoringContext(plan);
  const at = (placement: "hbm-table-wise" | "hbm-cache" | "hbm-split", batch: number) => {
    const p = scorePoint({
      node: ctx.nodes[0]!,
      workload: ctx.workload(0),
      nodes: 1,
      placement,
      hbmShare: placement === "hbm-table-wise" ? null : 0.5,
      batch,
      precision: "fp32",
      env: ctx.env,
      params: ctx.params,
    });
    assert.ok(p.feasible, `${placement} at batch ${batch}: ${p.reason}`);
    return p.time.embedding_s + p.time.hostlink_s;
  };
  for (const batch of [4096, 16384, 65536]) {
    const all = at("hbm-table-wise", batch);
    const cache = at("hbm-cache", batch) / all,
      split = at("hbm-split", batch) / all;
    // the published ranking, all-HBM < cache < split; the sizes are not reached (docs/cost-model.md, Field cases:
    // cache 1.6x against 3.3x, no cache-management cost; split 10x against 6.8x, dynamicemb's all-HBM baseline
    // probes a hash table where the model gathers from an array at the fitted 0.67 of HBM bandwidth)
    const what = `batch ${batch}: cache ${cache.toFixed(2)}x (published ${FC17.cache.toFixed(1)}x), split ${split.toFixed(2)}x (${FC17.split.toFixed(1)}x)`;
    assert.ok(cache > 1 && cache < split, what);
  }
});

test.run();
