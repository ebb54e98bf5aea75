// The end-of-run summary of `recsweep run`: per workload and objective the winning system and its margin, the
// same as the report's summary table; a run with no feasible point says so loudly and still exits 0.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, FIXTURES, tempDir } from "./helpers.ts";
import { CLI_SUMMARY_WORKLOADS, runSummaryLines, summaryLines } from "../src/cli/summary.ts";
import { readRunFolder } from "../src/report/data.ts";

test("a run ends with the best system per workload and objective, its margin, configuration and bottleneck", () => {
  const out = join(tempDir(), "run");
  const r = cli(["run", join(FIXTURES, "tiny.yaml"), "--out", out, "--quiet"]);
  assert.is(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /\nbest system per workload and objective \(margin over the runner-up system, from every feasible point/,
  );
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  for (const w of manifest.axes.workloads as string[]) {
    const block = r.stdout.split(`\n  ${w}\n`)[1];
    assert.ok(block, `a block for ${w}`);
    const lines = block!.split("\n").slice(0, 2);
    assert.match(
      lines[0]!,
      /^ {4}samples per joule: (big-basin-v100|cpu-skylake-2s), [\d.,]+ samples\/J, (\+[\d.]+ % over|no other system)/,
    );
    assert.match(
      lines[0]!,
      /; \d+ nodes?, [a-z-]+.*, batch \d+, fp\d+; bound by [a-z]+; (calibrated|extrapolated \([a-z_, ]+\))$/,
    );
    assert.match(lines[1]!, /^ {4}samples per USD: /);
  }
  assert.not.match(r.stdout, /per system:/);
});

test("a run with no feasible point says so in capitals, with the reasons, and exits 0", () => {
  const dir = tempDir();
  const spec = join(dir, "none.yaml");
  writeFileSync(
    spec,
    "schemaVersion: 1\nname: none\nsystems: [cpu-skylake-2s]\nnodes: [1, 2]\nplacements: [hbm-table-wise]\n" +
      "models:\n  - preset: deeprecsys-rmc1\ntraining:\n  batch_size: [2048]\n  precision: [fp32]\n",
  );
  const r = cli(["run", spec, "--out", join(dir, "run"), "--quiet"]);
  assert.is(r.code, 0);
  assert.match(r.stdout, /\nNO FEASIBLE POINT: all 2 points scored are infeasible \(needs-accelerator 2\)\./);
});

test("the summary of a folder with many workloads reads only the printed ones and prints what a full read prints", () => {
  const dir = tempDir();
  const spec = join(dir, "many.yaml");
  // more workloads than the summary prints, no report: the summary reads the folder itself
  writeFileSync(
    spec,
    "schemaVersion: 1\nname: many\nsystems: [big-basin-v100, dgx-h100]\nnodes: [1, 2]\n" +
      "placements: [hbm-table-wise, host-dram]\nmodels:\n  - preset: dlrm-mlperf-v1\n" +
      "    sweep: { embedding_total_gb: { from: 10, to: 1000, steps: 14, scale: log } }\n" +
      "training: { batch_size: [4096, 65536] }\noutput: { points_csv: false, report: false }\n",
  );
  const out = join(dir, "run");
  const r = cli(["run", spec, "--out", out, "--quiet"]);
  assert.is(r.code, 0, r.stderr);
  const full = readRunFolder(out);
  assert.ok(full.workloads.length > CLI_SUMMARY_WORKLOADS, "more workloads than the summary prints");
  const part = readRunFolder(out, { summaryWorkloads: CLI_SUMMARY_WORKLOADS });
  assert.ok(part.sensitivity.length < full.sensitivity.length, "only a prefix of sensitivity.csv is read");
  assert.equal(runSummaryLines(out), summaryLines(full));
  assert.match(r.stdout, `... and ${full.workloads.length - CLI_SUMMARY_WORKLOADS} more workloads`);
});

test.run();
