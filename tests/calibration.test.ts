import { test } from "uvu";
import { unitProblem } from "../src/calibrate/predict.ts";
import * as assert from "uvu/assert";
import { writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { calibrationContext } from "../src/calibrate/context.ts";
import { fitParams, observationWeights } from "../src/calibrate/fit.ts";
import { refitAll } from "../src/calibrate/refits.ts";
import { parseMeasurements, readMeasurements } from "../src/calibrate/measurements.ts";
import { crossValidate, validateRows, summaryByMetric } from "../src/calibrate/validate.ts";
import { PRIOR_PARAMS } from "../src/model/params.ts";
import { loadFit } from "../src/fit/load.ts";
import { PARAMETER_RANGES } from "../src/calibrate/ranges.ts";
import { MEASUREMENTS_FILE } from "../src/paths.ts";
import { calibrationRecords, calibrationTable } from "../src/output/calibration-table.ts";
import { summarize, quantile } from "../src/calibrate/stats.ts";
import { cli, ROOT, tempDir } from "./helpers.ts";

const rows = readMeasurements(MEASUREMENTS_FILE);
const ctx = calibrationContext();

test("the committed fit predicts the shipped throughput measurements with a median error of at most 15%", () => {
  const s = summaryByMetric(validateRows(rows, ctx.cat, loadFit().params, ctx.tco, ctx.psNode))
    .throughput_samples_per_s!;
  assert.is(s.n, 164);
  assert.ok(s.median_ape_pct! <= 15, `median APE ${s.median_ape_pct}%`);
});

test("the committed v2 fit meets issue 15's in-sample targets: median error at most 10 %, p90 at most 25 %", () => {
  // The eleventh session's fit stands at 6.3 % / 21.6 % (HugeCTR's own rule for its frequent rows, E11; 7.3 % / 25.1 %
  // before it, 10.8 % / 30.2 % when v2's physical bounds came in), so a change that loses accuracy shows.
  // In-sample: the rows the fit used (rows of parts catalogued after the fit are out of sample).
  const fit = loadFit();
  const used = new Set((fit.provenance?.rows_used as string[] | undefined) ?? rows.map((r) => r.id));
  const s = summaryByMetric(validateRows(rows, ctx.cat, fit.params, ctx.tco, ctx.psNode).filter((r) => used.has(r.id)))
    .throughput_samples_per_s!;
  assert.ok(s.median_ape_pct! <= 10, `median APE ${s.median_ape_pct}%`);
  assert.ok(s.p90_ape_pct! <= 25, `p90 APE ${s.p90_ape_pct}%`);
});

test("the committed fit predicts nccl-tests' all-reduce bus bandwidth of A100 NVSwitch nodes within 25 %", () => {
  // rows M339 (one 8-GPU node, NVIDIA/nccl-tests issue 149) and M340 (3 nodes, issue 119): large messages, so the
  // bandwidth, not the collective's base latency, decides them. The training rows pull fabric_eff to 0.78 (the
  // eleventh session's fit) where M339 wants about 0.67: 16 % over, M340 1 % under (docs/calibration.md)
  const s = summaryByMetric(validateRows(rows, ctx.cat, loadFit().params, ctx.tco, ctx.psNode));
  for (const metric of ["allreduce_busbw_gb_per_s", "allreduce_busbw_avg_gb_per_s"]) {
    assert.ok(s[metric]!.n >= 1, metric);
    assert.ok(s[metric]!.median_ape_pct! <= 25, `${metric}: ${s[metric]!.median_ape_pct}%`);
  }
});

test("half precision's measured speedup over fp32/TF32 on the same system: the fit's median within 15 %, none off by 30 %", () => {
  // Rows measured at both precisions on one system, batch and stack (DeepLearningExamples PyTorch DLRM and TF2
  // DLRM/DCNv2, HugeCTR's SOK TensorFlow benchmark): predicted over measured speedup. With every activation halved
  // at fp16 the median was 1.19 and the worst 1.40; these stacks keep their tables fp32 (S1 fp32Pooled, C3).
  const v = new Map(validateRows(rows, ctx.cat, loadFit().params, ctx.tco, ctx.psNode).map((r) => [r.id, r]));
  const pairs = new Map<string, { half?: number; full?: number }>();
  for (const r of rows) {
    const p = v.get(r.id);
    if (r.metric !== "throughput_samples_per_s" || !p || p.predicted === null) continue;
    const key = [
      r.source.slice(0, 50),
      r.accelerator,
      r.accelerators_per_node,
      r.nodes,
      r.model,
      r.framework,
      r.global_batch,
    ];
    const pair = pairs.get(key.join("|")) ?? {};
    const ratio = p.predicted / p.measured;
    if (r.precision === "amp" || r.precision === "fp16") pair.half ??= ratio;
    if (r.precision === "fp32" || r.precision === "tf32") pair.full ??= ratio;
    pairs.set(key.join("|"), pair);
  }
  const speedups = [...pairs.values()].filter((p) => p.half && p.full).map((p) => p.half! / p.full!);
  assert.ok(speedups.length >= 15, `${speedups.length} pairs`);
  const median = quantile(
    [...speedups].sort((a, b) => a - b),
    0.5,
  );
  assert.ok(median >= 0.85 && median <= 1.15, `median predicted/measured speedup ${median.toFixed(2)}`);
  for (const s of speedups) assert.ok(s >= 0.7 && s <= 1.3, `a pair's predicted/measured speedup ${s.toFixed(2)}`);
});

test("no fitted parameter is outside its physical range; no release maturity above 1", () => {
  const p = loadFit().params;
  for (const r of PARAMETER_RANGES) {
    const v = p[r.name];
    assert.ok(v >= r.lo * (1 - 1e-9) && v <= r.hi * (1 + 1e-9), `${r.name} = ${v} outside [${r.lo}, ${r.hi}]`);
  }
  for (const [name, s] of Object.entries(p.software)) {
    assert.ok(s.efficiency > 0 && s.efficiency <= 1, `${name}: ${s.efficiency}`);
    assert.not.ok("overhead_s" in s, `${name} has a fixed per-stack time`);
  }
});

test("the calibration table stored beside the fit is current: made from the committed fit, catalog and measurements", () => {
  const fit = loadFit();
  const inputs = { params: fit.params, fitHash: fit.hash, catalogHash: ctx.cat.hash };
  const table = calibrationTable(inputs);
  assert.ok(table.stored, "stored table's fingerprint does not match: run `recsweep calibrate`");
  assert.equal(table.records, calibrationRecords(fit.params));
});

test("a calibration table stored for other inputs is not used: it is computed afresh", () => {
  const fit = loadFit();
  const other = calibrationTable({ params: fit.params, fitHash: "another fit", catalogHash: ctx.cat.hash });
  assert.not.ok(other.stored);
  assert.equal(other.records, calibrationRecords(fit.params));
});

test("refits on worker threads give the same parameters, in job order, as one after another", async () => {
  // three short refits on different row subsets (cross-validation folds in small): threads must not change a digit
  const jobs = [0, 1, 2].map((k) => ({
    rows: rows.filter((_, i) => i % 3 !== k),
    start: loadFit().params,
    effort: { iterations: 60, restarts: 1 },
  }));
  const one = await refitAll(jobs, ctx, 1);
  const two = await refitAll(jobs, ctx, 2);
  assert.equal(two, one);
  assert.not.equal(one[0], one[1]); // the folds differ, so a mix-up of job order would show
});

test("leaving a source out refits without its rows: its prediction is not the committed fit's", async () => {
  // ASUS's MLPerf v3.1 PCIe box (M157, M158): one source, so one refit from the prior on every other source's rows
  const checked = rows.filter((r) => r.id === "M157" || r.id === "M158");
  const cv = await crossValidate(checked, rows, ctx, PRIOR_PARAMS, "throughput_samples_per_s", "source");
  assert.equal(Object.keys(cv.groups), ["MLPerf v3.1 ASUSTeK"]);
  assert.equal(
    cv.rows.map((r) => r.id),
    ["M157", "M158"],
  );
  const inSample = validateRows(checked, ctx.cat, loadFit().params, ctx.tco, ctx.psNode);
  for (const [i, r] of cv.rows.entries()) {
    assert.ok(r.predicted !== null && r.predicted > 0, `${r.id}: ${r.status}`);
    assert.ok(Math.abs(r.predicted / inSample[i]!.predicted! - 1) > 0.01, `${r.id}: the same as in sample`);
  }
});

test("rows that report the same runs count as one observation", () => {
  const w = observationWeights(rows);
  assert.is(w.get("M007"), 0.5); // M007 and M008: time-to-train-derived and logged throughput of the same runs
  assert.is(w.get("M005"), 1 / 3); // M005, M006 and the steady-state M221
  assert.is(w.get("M009"), 1 / 3); // M009, M010 and the steady-state M220
  assert.is(w.get("M227"), 1); // a README row on its own
});

test("error statistics: median, p90 by linear interpolation, signed bias as the median signed error", () => {
  assert.is(quantile([1, 2, 3, 4], 0.5), 2.5);
  const s = summarize(5, [-10, 20, -30, 40]);
  // |errors| sorted 10 20 30 40: median 25, p90 at position 2.7 -> 30 + 0.7 x 10 = 37; signed sorted -30 -10 20 40: median 5
  assert.equal(s, { n: 5, median_ape_pct: 25, p90_ape_pct: 37, max_ape_pct: 40, bias_pct: 5 });
});

test("fitting is deterministic", () => {
  const subset = rows.filter((r) => r.accelerator.startsWith("a100-sxm4-80gb"));
  const a = fitParams(subset, ctx.cat, ctx.tco, ctx.psNode);
  const b = fitParams(subset, ctx.cat, ctx.tco, ctx.psNode);
  assert.equal(a.params, b.params);
  assert.ok(a.objectiveAfter < a.objectiveBefore);
});

test("validate --json prints one JSON object with rows and a summary per metric", () => {
  const r = cli(["validate", MEASUREMENTS_FILE, "--json"]);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as {
    rows: Array<Record<string, unknown>>;
    summary: Record<string, Record<string, number>>;
  };
  assert.is(out.rows.length, rows.length);
  // today's keys, and the intervals' (issue 16) added
  assert.equal(Object.keys(out.rows[0]!).sort(), [
    "error_pct",
    "extrapolated",
    "hi80",
    "hi95",
    "id",
    "lo80",
    "lo95",
    "measured",
    "metric",
    "predicted",
    "status",
    "unmeasured",
  ]);
  assert.equal(Object.keys(out.summary.throughput_samples_per_s!).sort(), [
    "bias_pct",
    "max_ape_pct",
    "median_ape_pct",
    "n",
    "p90_ape_pct",
  ]);
  const ebc = out.rows.find((x) => x.id === "M330")!;
  assert.is(ebc.predicted, null);
  assert.match(String(ebc.status), /^unsupported metric/);
});

test("validate reports a row it cannot build with the reason, and exits 0", () => {
  const dir = tempDir();
  const f = join(dir, "m.csv");
  const text = readFileSync(MEASUREMENTS_FILE, "utf8").split("\n");
  writeFileSync(f, `${[text[0], text[1]!.replace("v100-sxm3-32gb", "tpu-v9")].join("\n")}\n`);
  const r = cli(["validate", f, "--json"]);
  assert.is(r.code, 0);
  const out = JSON.parse(r.stdout);
  assert.is(out.rows[0].status, "unresolved: accelerator 'tpu-v9' is not in the catalog");
  assert.is(out.summary.throughput_samples_per_s.n, 1);
  assert.is(out.summary.throughput_samples_per_s.median_ape_pct, null);
});

test("validate on an unreadable or malformed file exits 2 with file and line", () => {
  const dir = tempDir();
  assert.is(cli(["validate", join(dir, "none.csv")]).code, 2);
  const f = join(dir, "bad.csv");
  writeFileSync(f, "id,metric\nM1,throughput_samples_per_s\n");
  const r = cli(["validate", f]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /bad\.csv:1: header lacks column\(s\) trust, accelerator/);
});

test("a row whose unit is not its metric's is unresolved, not compared as if it were", () => {
  assert.is(unitProblem("throughput_samples_per_s", "samples/s"), null);
  assert.is(unitProblem("throughput_samples_per_s", "samples per second"), null);
  assert.is(unitProblem("throughput_samples_per_s", ""), null);
  assert.match(
    unitProblem("throughput_samples_per_s", "GB/s")!,
    /unit 'GB\/s' is not the unit of .* \(expected samples\/s\)/,
  );
  assert.match(unitProblem("node_power_w", "furlongs")!, /expected W/);
  assert.is(unitProblem("allreduce_busbw_gb_per_s", "GB/s per GPU"), null);
});

test("a measurement file with mixed line endings, a framework in capitals and a spec placement resolves", () => {
  const [header, row] = readFileSync(join(ROOT, "hardware", "measurements", "measurements.csv"), "utf8")
    .split(/\r?\n/)
    .filter((l) => l.startsWith("id,") || l.startsWith("M033,"));
  const edited = row!.replace("M033,", "X033,").replace(",hugectr,", ",HugeCTR,").replace(",hbm,", ",hbm-table-wise,");
  const rows = parseMeasurements("mixed.csv", `${header}\r\n${edited}\n${row}\n`);
  assert.is(rows.length, 2);
  // a stray CR before a CRLF ends a line too, and a line of spaces is an empty line
  const stray = parseMeasurements("stray.csv", `${header}\n${edited}\r\r\n  \t\n${row}\r\n`);
  assert.equal(
    stray.map((r) => [r.id, r.line]),
    [
      ["X033", 2],
      ["M033", 5],
    ],
  );
  const ctx = calibrationContext();
  const checked = validateRows(rows, ctx.cat, PRIOR_PARAMS, ctx.tco, ctx.psNode);
  assert.equal(
    checked.map((r) => r.status.split(" (")[0]),
    ["ok", "ok"],
  );
  // "hbm" is the best of the HBM shardings the stack offers, table-wise among them
  assert.ok(checked[0]!.predicted! <= checked[1]!.predicted!, "hbm-table-wise is one of hbm's shardings");
});

test.run();
