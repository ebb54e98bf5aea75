// Inline models (issue 18 item 7): the README's example, tables given by size, and each workload's stated size.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadCatalog } from "../src/catalog/load.ts";
import { InputError } from "../src/input/errors.ts";
import { buildWorkload, rowsOfSize } from "../src/model/workload.ts";
import { workloadSizes } from "../src/spec/model-size.ts";
import { loadSpec } from "../src/spec/resolve.ts";
import { cli, ROOT, tempDir } from "./helpers.ts";

const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.problems;
    throw e;
  }
  return [];
};

test("the README's inline-model spec is a valid spec with the model it describes", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### Your own model (inline)"));
  const block = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
  const file = join(tempDir(), "readme-inline.yaml");
  writeFileSync(file, block);
  const { plan } = loadSpec(file);
  assert.equal(
    plan.workloads.map((w) => w.label),
    ["my-ranker"],
  );
  // 4 x 40 GB + 20 x 1e6 rows x 128 x 4 B + 8 x 5e4 rows x 64 x 4 B
  assert.ok(Math.abs(workloadSizes(plan)[0]!.embedding_gb - (160 + 10.24 + 0.1024)) < 1e-3);
  assert.match(section, "sweeps/inline-model.yaml");
});

test("a table given by size has rows = round(size_gb x 1e9 / (dim x bytes per element)) at its precision", () => {
  assert.is(rowsOfSize(1, 128, 4), 1953125);
  assert.is(rowsOfSize(1e-12, 128, 4), 1);
  const model = loadCatalog().models.get("dlrm-paper-sample")!;
  const bySize = { ...model, tables: [{ count: 2, size_gb: 2.56, pooling: 1, zipf_alpha: 1 }] };
  const byRows = { ...model, tables: [{ count: 2, rows: 20e6 / 2, pooling: 1, zipf_alpha: 1 }] };
  // 2.56 GB at dim 64: 10M rows at fp32, 20M rows at fp16 (the size is kept, the rows change)
  const fp32 = buildWorkload({ ...bySize, embedding_dim: 64 }, {});
  assert.is(fp32.groups[0]!.rows, 10_000_000);
  assert.equal(fp32, buildWorkload({ ...byRows, embedding_dim: 64 }, {}));
  assert.is(buildWorkload({ ...bySize, embedding_dim: 64 }, { embedding_precision: "fp16" }).groups[0]!.rows, 20e6);
  assert.is(buildWorkload({ ...bySize, embedding_dim: 64 }, { embedding_dim: 128 }).groups[0]!.rows, 5e6);
});

test("a table group with both rows and size_gb, or neither, is refused with its position, in a spec", () => {
  const text = readFileSync(join(ROOT, "sweeps", "inline-model.yaml"), "utf8")
    .replace("{ count: 4, size_gb: 40,", "{ count: 4, size_gb: 40, rows: 5,")
    .replace("{ count: 20, rows: 1000000,", "{ count: 20,");
  const file = join(tempDir(), "both.yaml");
  writeFileSync(file, text);
  const problems = problemsOf(() => loadSpec(file));
  assert.is(problems.length, 2, problems.join("\n"));
  assert.match(
    problems[0]!,
    new RegExp(`^${file}:23:\\d+: models\\[0\\]\\.inline\\.tables\\[0\\]\\.size_gb: both rows and size_gb are given`),
  );
  assert.match(problems[1]!, new RegExp(`^${file}:24:11: models\\[0\\]\\.inline\\.tables\\[1\\]: neither rows nor`));
  assert.match(problems[1]!, "(expected rows");
});

test("a catalog model whose table has both rows and size_gb is refused with file and line", () => {
  const dir = join(tempDir(), "cat");
  mkdirSync(dir);
  const model = { ...loadCatalog().models.get("dlrm-paper-sample")!, id: "mine" };
  model.tables = [{ ...model.tables[0]!, size_gb: 3 }];
  writeFileSync(join(dir, "models.json"), JSON.stringify({ models: [model] }, null, 2));
  const problems = problemsOf(() => loadCatalog(dir));
  assert.is(problems.length, 1, problems.join("\n"));
  assert.match(
    problems[0]!,
    new RegExp(`^${join(dir, "models.json")}:\\d+:\\d+: models\\[0\\]\\.tables\\[0\\]\\.size_gb`),
  );
});

test("the example inline sweep runs and states each workload's total size in the CLI and the manifest", () => {
  const out = join(tempDir(), "run");
  const r = cli(["run", join(ROOT, "sweeps", "inline-model.yaml"), "--out", out, "--quiet", "--workers", "1"]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, "model sizes");
  assert.match(r.stdout, "my-ranker embedding_precision=fp32: 32 tables, 333M rows, 170 GB of embeddings");
  assert.match(r.stdout, "7.79M dense parameters");
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  const [fp32, fp16] = manifest.workload_sizes;
  assert.is(fp32.workload, "my-ranker embedding_precision=fp32");
  // bottom 64-256-128; DCNv2 on d = 128 + 24 x 128 + 8 x 64 = 3712: top 3712-512-256-1 and three rank-256 cross
  // layers (U, V and a bias each); weights and biases
  const d = 3712;
  const mlps = 64 * 256 + 256 + 256 * 128 + 128 + d * 512 + 512 + 512 * 256 + 256 + 256 + 1;
  assert.is(fp32.dense_params, mlps + 3 * (2 * d * 256 + d));
  assert.is(fp32.embedding_gb, 170.342);
  assert.is(fp16.embedding_gb, 165.171);
  // rowwise Adagrad keeps one fp32 value per row: 333,200,000 + ... rows x 4 bytes on top
  assert.ok(fp32.embedding_with_optimizer_state_gb > fp32.embedding_gb);
  assert.is(fp32.tables, 32);
});

test.run();
