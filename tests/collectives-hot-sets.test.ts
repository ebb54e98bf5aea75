// Cost model: collective latency as NCCL models it, matrix-engine GEMM efficiency, the frequency-ranked hot set of
// hybrid embedding and hybrid embedding as a stack feature. Hand-worked cases; the arithmetic is in the comments.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { allReduceTime, allToAllTime, COLLECTIVE_BASE_LATENCY_S } from "../src/model/comm.ts";
import { gemmEffMax } from "../src/model/compute.ts";
import { cacheHitRate, hotSetHitRate } from "../src/model/memory.ts";
import { PRIOR_PARAMS } from "../src/model/params.ts";
import { describeStack } from "../src/model/software.ts";
import type { WorkloadModel } from "../src/model/workload.ts";
import { buildScoringContext } from "../src/engine/context.ts";
import { indexToCoords, totalPoints } from "../src/space/space.ts";
import { placementName, precisionName, scorePoint } from "../src/model/score-point.ts";
import { loadSpec } from "../src/spec/resolve.ts";
import { PRECISIONS } from "../src/schema/vocab.ts";
import { tempDir } from "./helpers.ts";

const close = (a: number, b: number, rel = 1e-6) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} != ${b}`);

test("N1, N2: every collective call pays NCCL's base latency once, then one short latency per hop", () => {
  // all-to-all of 1 MB per device among 8 devices of one node at 100 GB/s, 1 us per hop:
  // 8.4 us + 1e6 x 7/7 / 1e11 s (10 us) + 7 hops x 1 us = 25.4 us
  close(allToAllTime(1e6, 8, 1, 1e11, 1e10, 1e-6, 5e-6).time, COLLECTIVE_BASE_LATENCY_S + 10e-6 + 7e-6);
  // all-reduce of 1 MB over 8 devices: 8.4 us + 2 x 7/8 x 1e6 / 1e11 (17.5 us) + 14 hops x 1 us = 39.9 us
  close(allReduceTime(1e6, 8, 1, 1e11, 1e10, 1e-6, 5e-6).time, COLLECTIVE_BASE_LATENCY_S + 17.5e-6 + 14e-6);
  // one device: no collective, no latency
  assert.is(allReduceTime(1e6, 1, 1, 1e11, 1e10, 1e-6, 5e-6).time, 0);
});

test("C1: fp32 GEMMs run at the SIMT efficiency, every other precision at the matrix engines' one", () => {
  const p = { ...PRIOR_PARAMS, gpu_gemm_eff_max: 0.9, tensor_gemm_eff_max: 0.6, cpu_gemm_eff_max: 0.5 };
  assert.is(gemmEffMax(false, PRECISIONS.indexOf("fp32"), p), 0.9);
  for (const pr of ["tf32", "fp16", "bf16", "fp8"] as const)
    assert.is(gemmEffMax(false, PRECISIONS.indexOf(pr), p), 0.6);
  assert.is(gemmEffMax(true, PRECISIONS.indexOf("bf16"), p), 0.5); // CPUs: their own, by ISA peak
});

/** Two tables of equal traffic and 1 byte per row: one of 3 rows, one of a million, both Zipf 1. */
const twoTables = {
  groups: [
    { count: 1, rows: 3, pooling: 1, dim: 1, zipf: 1, tableBytes: 3, trafficPerSample: 1 },
    { count: 1, rows: 1e6, pooling: 1, dim: 1, zipf: 1, tableBytes: 1e6, trafficPerSample: 1 },
  ],
  embBytes: 1e6 + 3,
  embTrafficPerSample: 2,
} as unknown as WorkloadModel;

test("E4g: a frequency-ranked hot set holds a small table whole and the big table's hottest rows", () => {
  // 103 bytes: the 3-row table's rows are each accessed far more often than the big table's 101st, so the
  // hot set keeps all 3 and the big table's 100 hottest. Zipf mass by the midpoint rule, F(k) = ln(2k + 1):
  // hit = (1 + ln(201) / ln(2e6 + 1)) / 2 = (1 + 5.30330 / 14.50866) / 2 = 0.682762
  close(hotSetHitRate(twoTables, 103), (1 + Math.log(201) / Math.log(2e6 + 1)) / 2, 1e-4);
  // a uniform share of every table (the HBM cache's E4) would keep 1 row of the small table and 103 of the big
  assert.ok(cacheHitRate(twoTables, 103) < 0.2);
  assert.is(hotSetHitRate(twoTables, 0), 0);
  assert.is(hotSetHitRate(twoTables, 2e6), 1);
});

test("E4g: the hot set's hit rate never falls as it grows, and stays in [0, 1]", () => {
  let last = 0;
  for (const bytes of [1, 3, 10, 1e2, 1e3, 1e4, 1e5, 5e5, 1e6, 1e6 + 3]) {
    const h = hotSetHitRate(twoTables, bytes);
    assert.ok(h >= last - 1e-12 && h <= 1, `${bytes} B: ${h} after ${last}`);
    last = h;
  }
});

test("S3: hbm-hybrid needs a stack with hybrid embedding: scored under HugeCTR, refused under PyTorch", () => {
  assert.ok(describeStack("hugectr").hybridEmbedding);
  assert.not.ok(describeStack("hugectr@v0.7").hybridEmbedding); // it came with HugeCTR v3.1, after MLPerf v0.7
  for (const s of ["pytorch", "torchrec", "tensorflow"]) assert.not.ok(describeStack(s).hybridEmbedding, s);
  const reasons = (software: string) => {
    const file = join(tempDir(), `hybrid-${software}.yaml`);
    writeFileSync(
      file,
      `schemaVersion: 1\nname: hybrid-${software}\nsystems: [dgx-a100-80gb]\nnodes: [2]\nplacements: [hbm-hybrid]\n` +
        `models: [{ preset: dlrm-mlperf-v1 }]\ntraining: { batch_size: [65536], precision: [fp16], software: ${software} }\n`,
    );
    const { plan } = loadSpec(file);
    const ctx = buildScoringContext(plan);
    const out: Array<string | null> = [];
    for (let i = 0; i < totalPoints(plan); i++) {
      const [w, s, n, pl, b, pr] = [...indexToCoords(i, ctx.radix)] as number[];
      out.push(
        scorePoint({
          node: ctx.nodes[s!]!,
          workload: ctx.workload(w!),
          nodes: ctx.nodeCounts[n!]!,
          placement: placementName(ctx.placementOf[pl!]!),
          batch: ctx.batchOf[b!]!,
          precision: precisionName(ctx.precisionOf[pr!]!),
          env: ctx.env,
          params: ctx.params,
        }).reason,
      );
    }
    return out;
  };
  assert.equal(reasons("hugectr"), [null]);
  assert.equal(reasons("pytorch"), ["software-unsupported"]);
});

test.run();
