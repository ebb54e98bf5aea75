// Cost model: collective latency as NCCL models it, matrix-engine GEMM efficiency, the frequency-ranked hot set,
// HugeCTR's frequent rows and hybrid embedding as a stack feature. Hand-worked cases; the arithmetic is in the
// comments.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { allReduceTime, allToAllTime, COLLECTIVE_BASE_LATENCY_S } from "../src/model/comm.ts";
import { gemmEffMax } from "../src/model/compute.ts";
import { frequentThreshold } from "../src/model/frequent.ts";
import { cacheHitRate, frequentRows, frequentRowsFast, hotSetHitRate } from "../src/model/memory.ts";
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

test("E11: HugeCTR's frequency threshold, one node and several, worked by hand", () => {
  // one node of 8 devices, global batch 55296: M = 6912 samples per device,
  // q = sqrt(2 x 0.01 / (6912 x 6911)) = 0.141421 / 6911.5 = 2.04617e-5 occurrences per sample
  close(frequentThreshold(55296, 8, 1), Math.sqrt(0.02 / (6912 * 6911)), 1e-12);
  close(frequentThreshold(55296, 8, 1), 2.04617e-5, 1e-5);
  // 8 nodes, global batch 71680: q = 8^2 / 7 x (1.9e11 / 1.3e11) / 71680 = 9.142857 x 1.461538 / 71680 = 13.36264 / 71680 = 1.864208e-4
  close(frequentThreshold(71680, 8, 8), 1.864208e-4, 1e-6);
  // one sample per device: no row can occur twice in a device's batch, so none is frequent
  assert.is(frequentThreshold(8, 8, 1), Infinity);
});

test("E11: the frequent rows are the rows expected at least q times per sample", () => {
  // the two tables above at q = 0.01: the 3-row table (F(3) = ln 7 = 1.94591) has rows of 1/1.94591, 0.5/1.94591
  // and 0.333/1.94591 occurrences per sample, all >= 0.01: held whole. The big one, F(1e6) = ln(2e6 + 1) =
  // 14.50866: k = 1 / (14.50866 x 0.01) - 1/2 = 6.39246 rows, hit ln(2k + 1) / F = ln(13.78492) / 14.50866
  // = 2.62357 / 14.50866 = 0.180828. Equal traffic: hit = (1 + 0.180828) / 2 = 0.590414; bytes 3 + 6.39246.
  const out = new Float64Array(3);
  frequentRows(twoTables, 0.01, out);
  close(out[0]!, 0.590414, 1e-5);
  close(out[1]!, 3 + 1 / (Math.log(2e6 + 1) * 0.01) - 0.5, 1e-9);
  close(out[2]!, 4 * out[1]!, 1e-12); // 1 element of fp32 weights per row
  // no threshold reached: nothing is frequent
  frequentRows(twoTables, 2, out);
  assert.equal([...out], [0, 0, 0]);
});

test("E11: the replicated set grows with the batch on a device and never serves more than the frequency ranking", () => {
  const out = new Float64Array(3);
  let last = -1;
  for (const batch of [64, 512, 4096, 32768, 262144]) {
    frequentRows(twoTables, frequentThreshold(batch, 8, 1), out);
    assert.ok(out[0]! >= last, `batch ${batch}: ${out[0]} after ${last}`);
    assert.ok(out[0]! <= hotSetHitRate(twoTables, out[1]!) + 1e-9, `batch ${batch}: beyond E4g's ranking`);
    last = out[0]!;
  }
});

test("E11: which rows HugeCTR replicates does not depend on the fabric's bandwidth", () => {
  const file = join(tempDir(), "hybrid-fabric.yaml");
  writeFileSync(
    file,
    "schemaVersion: 1\nname: hybrid-fabric\nsystems: [dgx-a100-80gb]\nnodes: [1]\nplacements: [hbm-hybrid]\n" +
      "models: [{ preset: dlrm-mlperf-v1 }]\ntraining: { batch_size: [55296], precision: [fp16], software: hugectr }\n",
  );
  const { plan } = loadSpec(file);
  const ctx = buildScoringContext(plan);
  const node = ctx.nodes[0]!;
  const score = (n: typeof node) =>
    scorePoint({
      node: n,
      workload: ctx.workload(0),
      nodes: 1,
      placement: "hbm-hybrid",
      batch: 55296,
      precision: "fp16",
      env: ctx.env,
      params: ctx.params,
    });
  const fast = score(node);
  const slow = score(
    Object.assign(Object.create(Object.getPrototypeOf(node)), node, {
      fabricA2aBw: node.fabricA2aBw / 20,
      fabricArBw: node.fabricArBw / 20,
    }),
  );
  assert.ok(fast.feasible && slow.feasible);
  assert.ok(slow.throughput_samples_per_s < fast.throughput_samples_per_s); // the exchange is slower ...
  assert.is(slow.memory_used_fraction, fast.memory_used_fraction); // ... over the same replicated rows
});

test("E11: the kernel's precomputed frequent rows equal the definition for any threshold and skew", () => {
  // random table groups (Zipf 0, 1 and in between), thresholds from 1e-9 to 10 occurrences per sample
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let trial = 0; trial < 200; trial++) {
    const groups = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => {
      const rows = Math.floor(10 ** (1 + rnd() * 7)),
        dim = 16 * (1 + Math.floor(rnd() * 8)),
        pooling = 1 + Math.floor(rnd() * 40);
      const zipf = [0, 1, 0.3 + rnd() * 1.2][Math.floor(rnd() * 3)]!;
      return {
        count: 1 + Math.floor(rnd() * 4),
        rows,
        pooling,
        dim,
        zipf,
        tableBytes: rows * dim * 4,
        trafficPerSample: pooling * dim * 12,
      };
    });
    const w = {
      groups,
      embBytes: groups.reduce((a, g) => a + g.count * g.tableBytes, 0),
      embTrafficPerSample: groups.reduce((a, g) => a + g.count * g.trafficPerSample, 0),
    } as unknown as WorkloadModel;
    const q = 10 ** (-9 + rnd() * 10);
    const slow = new Float64Array(3),
      fast = new Float64Array(3);
    frequentRows(w, q, slow);
    frequentRowsFast(w, q, fast);
    for (let i = 0; i < 3; i++) close(fast[i]! + 1e-300, slow[i]! + 1e-300, 1e-9);
  }
});

test.run();
