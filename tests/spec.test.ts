import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadSpec } from "../src/spec/resolve.ts";
import { totalPoints } from "../src/space/space.ts";
import { expandAxis } from "../src/spec/axes.ts";
import { FIXTURES, problemsOf, ROOT, tempDir } from "./helpers.ts";

/** A spec file in a fresh folder: `schemaVersion: 1` and `name: NAME`, then `rest` (YAML text). */
function specFile(name: string, rest: string): string {
  const file = join(tempDir(), `${name}.yaml`);
  writeFileSync(file, `schemaVersion: 1\nname: ${name}\n${rest}`);
  return file;
}
test("a valid spec resolves into a plan whose size is the product of its axes", () => {
  const { plan } = loadSpec(join(FIXTURES, "tiny.yaml"));
  // 3 workloads (rmc1 + paper-sample x 2 dims) x 2 systems x 2 node counts x (2 placements + remote-ps x 2) x 2 batches x 2 precisions
  assert.is(totalPoints(plan), 3 * 2 * 2 * 4 * 2 * 2);
  assert.equal(plan.objectives, ["samples_per_joule", "samples_per_usd"]);
});

test("an unknown key, a wrong type and a dangling catalog id are reported together, in file order", () => {
  const problems = problemsOf(join(FIXTURES, "bad-three.yaml"));
  const file = join(FIXTURES, "bad-three.yaml");
  assert.equal(problems, [
    problems[0]!,
    `${file}:9:16: training.batch_size[0]: wrong type (expected integer)`,
    `${file}:10:3: training.colour: unknown key 'colour' (expected one of: batch_size, precision, software, data_loading, hbm_cache_share, samples_to_train)`,
  ]);
  assert.match(
    problems[0]!,
    new RegExp(
      `^${file}:3:27: systems\\[1\\]: unknown system id 'dgx-9000'(, did you mean '[a-z0-9-]+'\\?)? ` +
        "\\(expected one of the catalog's systems: big-basin-v100,",
    ),
  );
});

test("a missing file, a directory and an empty file are input errors naming the file", () => {
  const dir = tempDir();
  assert.match(
    problemsOf(join(dir, "nope.yaml"))[0]!,
    /nope\.yaml: cannot read file \(ENOENT: no such file; expected a readable YAML or JSON file\)/,
  );
  assert.match(problemsOf(dir)[0]!, /is a directory \(expected a file\)/);
  const empty = join(dir, "empty.yaml");
  writeFileSync(empty, "# only a comment\n");
  assert.match(problemsOf(empty)[0]!, /empty\.yaml:1:1: file is empty \(expected a mapping\)/);
});

test("a top level that is not a mapping is refused with its position", () => {
  const f = join(tempDir(), "list.yaml");
  writeFileSync(f, "- a\n- b\n");
  assert.match(problemsOf(f)[0]!, /list\.yaml:1:1: top level is a list \(expected a mapping\)/);
});

test("ranges expand to the values they stand for", () => {
  assert.equal(expandAxis({ from: 1, to: 64, scale: "pow2" }, true), [1, 2, 4, 8, 16, 32, 64]);
  assert.equal(expandAxis({ from: 3, to: 20, scale: "pow2" }, true), [4, 8, 16]);
  assert.equal(expandAxis({ from: 10, to: 1000, steps: 3, scale: "log" }, true), [10, 100, 1000]);
  assert.equal(expandAxis({ from: 0.5, to: 1.5, steps: 3, scale: "linear" }, false), [0.5, 1, 1.5]);
  assert.equal(expandAxis([8, 2, 8], true), [8, 2]);
});

test("a spec may name a fitted release as its software stack, and an unknown one is refused", () => {
  const dir = tempDir();
  const base = readFileSync(join(FIXTURES, "tiny.yaml"), "utf8");
  const ok = join(dir, "release.yaml");
  writeFileSync(ok, base.replace("  precision: [fp32, fp16]", "  precision: [fp32, fp16]\n  software: hugectr@v1.1"));
  assert.is(loadSpec(ok).plan.software, "hugectr@v1.1");
  const bad = join(dir, "unknown.yaml");
  writeFileSync(bad, base.replace("  precision: [fp32, fp16]", "  precision: [fp32, fp16]\n  software: hugectr@v9.9"));
  assert.match(
    problemsOf(bad)[0]!,
    /training\.software: unknown software stack 'hugectr@v9\.9'(, did you mean '[^']+'\?)? \(expected one of the fitted stacks: /,
  );
});

test("every spec in sweeps/ is valid", async () => {
  const { readdirSync } = await import("node:fs");
  const dir = join(FIXTURES, "..", "..", "sweeps");
  const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));
  assert.ok(files.length >= 1);
  // the benches may be above the size limit: they run with --force (bench-hardware prunes 10^10 points)
  for (const f of files) assert.equal(problemsOf(join(dir, f), f.startsWith("bench")), [], f);
});

test("a per-run objective for a model without samples per run is refused at the objective", () => {
  const spec = (extra: string) =>
    specFile(
      "per-run",
      "systems: [dgx-h100]\nnodes: [1]\nplacements: [hbm-table-wise]\n" +
        `models: [{ preset: deeprecsys-rmc1 }]\ntraining: { batch_size: [4096]${extra} }\n` +
        "objectives: [samples_per_joule, neg_time_to_train_h]\n",
    );
  const file = spec("");
  assert.match(
    problemsOf(file).join("\n"),
    /per-run\.yaml:8:33: objectives\[1\]: neg_time_to_train_h needs the samples of one training run, which deeprecsys-rmc1/,
  );
  assert.equal(problemsOf(spec(", samples_to_train: 1000000000")), []);
});

test("a named stack that does not run on a system's accelerators is said in the plan's notes", () => {
  const file = specFile(
    "sw",
    "systems: [mi300x-8, dgx-h100]\nnodes: [1]\nplacements: [hbm-table-wise]\n" +
      "models: [{ preset: deeprecsys-rmc1 }]\ntraining: { batch_size: [4096], software: hugectr }\n",
  );
  const notes = loadSpec(file).plan.notes!.join("\n");
  assert.match(notes, /training\.software 'hugectr' does not run on amd devices \(mi300x-8; it runs on nvidia\)/);
  assert.not.match(notes, /dgx-h100/);
});

test("a model DLRM would not train as written (dot widths that differ, a top MLP not ending in 1) gets a note", () => {
  const model = (bottom: string, top: string) =>
    `{ inline: { id: m${bottom.length}${top.length}, dense_features: 13, bottom_mlp: ${bottom}, top_mlp: ${top}, ` +
    "embedding_dim: 64, interaction: { kind: dot }, optimizer: sgd, " +
    "tables: [{ count: 4, rows: 1000, pooling: 1, zipf_alpha: 1 }] } }";
  const notesOf = (bottom: string, top: string) =>
    loadSpec(
      specFile(
        "shape",
        `systems: [dgx-h100]\nnodes: [1]\nplacements: [hbm-table-wise]\nmodels: [${model(bottom, top)}]\n` +
          "training: { batch_size: [4096] }\n",
      ),
    ).plan.notes!.join("\n");
  const wrong = notesOf("[128, 32]", "[64, 2]");
  assert.match(wrong, /a dot interaction needs the bottom MLP's output \(32\) and every table's embedding dim \(64\)/);
  assert.match(wrong, /the top MLP ends in 2 outputs \(a click-through model ends in 1\); scored as given/);
  assert.is(notesOf("[128, 64]", "[64, 1]"), "", "a well-formed DLRM gets no note");
  // as swept: an embedding_dim axis that leaves the bottom MLP's 128 behind, once per model with the count of the rest
  const swept = loadSpec(
    specFile(
      "swept",
      "systems: [dgx-h100]\nnodes: [1]\nplacements: [hbm-table-wise]\n" +
        "models: [{ preset: dlrm-mlperf-v1, sweep: { embedding_dim: [32, 64, 128] } }]\ntraining: { batch_size: [4096] }\n",
    ),
  ).plan.notes!;
  assert.equal(swept, [
    "models: 'dlrm-mlperf-v1 embedding_dim=32' (and 1 more workload of the model): a dot interaction needs the bottom " +
      "MLP's output (128) and every table's embedding dim (32) to be equal; scored as given",
  ]);
});

test("a DCNv2 rank of at least half the cross layers' width, and cross-layer settings on a dot model, get notes", () => {
  const model = (interaction: string) =>
    `{ inline: { id: x, dense_features: 13, bottom_mlp: [64], top_mlp: [64, 1], embedding_dim: 64, ` +
    `interaction: ${interaction}, optimizer: sgd, tables: [{ count: 4, rows: 1000, pooling: 1, zipf_alpha: 1 }] } }`;
  const notesOf = (interaction: string) =>
    loadSpec(
      specFile(
        "rank",
        `systems: [dgx-h100]\nnodes: [1]\nplacements: [hbm-table-wise]\nmodels: [${model(interaction)}]\n` +
          "training: { batch_size: [4096] }\n",
      ),
    ).plan.notes!.join("\n");
  // d = 64 + 4 x 64 = 320: rank 160 gives U V 2 x 320 x 160 = 320^2 parameters, as many as a full-rank layer
  assert.match(
    notesOf("{ kind: dcnv2, low_rank: 160 }"),
    /low_rank 160 is at least half the cross layers' width \(320\)/,
  );
  assert.is(notesOf("{ kind: dcnv2, low_rank: 159 }"), "");
  assert.match(notesOf("{ kind: dot, low_rank: 8 }"), /interaction\.low_rank has no effect on a dot interaction/);
});

test("settings that change nothing, or less than written, are notes in the plan", () => {
  const file = specFile(
    "ig",
    "systems: [dgx-h100]\nnodes: { from: 16, to: 1, scale: pow2, steps: 3 }\n" +
      "placements: [hbm-table-wise]\nps_nodes: [2]\nmodels: [{ preset: deeprecsys-rmc1 }]\n" +
      "training: { batch_size: { from: 1, to: 2, steps: 5, scale: linear }, hbm_cache_share: [0.5] }\n" +
      "cost: { basis: capital, cloud_provider: lambda }\n",
  );
  const notes = loadSpec(file).plan.notes!.join("\n");
  for (const re of [
    /nodes: from 16 is above to 1; the range 1\.\.16 is swept/,
    /nodes: steps 3 has no effect on a pow2 range/,
    /training\.batch_size: 5 steps round to 2 distinct integers/,
    /ps_nodes: no effect without the remote-ps placement/,
    /training\.hbm_cache_share: no effect without the hbm-cache or hbm-split placement/,
    /cost\.cloud_provider: no effect on the capital basis/,
  ])
    assert.match(notes, re);
  assert.equal(loadSpec(join(ROOT, "sweeps", "default.yaml")).plan.notes, [], "the default sweep says nothing");
});

test("output.report_workloads naming no workload is refused with the labels there are", () => {
  const file = specFile(
    "rw",
    "systems: [dgx-h100]\nnodes: [1]\nplacements: [hbm-table-wise]\n" +
      "models: [{ preset: deeprecsys-rmc1 }]\ntraining: { batch_size: [4096] }\n" +
      "output: { report_workloads: [deeprecsys-rmc2, rmc1] }\n",
  );
  const problems = problemsOf(file);
  assert.is(problems.length, 1, problems.join("\n"));
  assert.match(problems[0]!, /output\.report_workloads\[0\]: 'deeprecsys-rmc2' is in no workload's label/);
});

test.run();
