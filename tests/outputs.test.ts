import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { DuckDBInstance } from "@duckdb/node-api";
import { parse as parseCsv } from "csv-parse/sync";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { INFEASIBLE_REASONS, REASON_TEXT } from "../src/model/result.ts";
import { INTERVAL_COLUMNS } from "../src/schema/vocab.ts";
import { POINT_TAIL_COLUMNS } from "../src/spec/references.ts";
import { cli, FIXTURES, tempDir } from "./helpers.ts";

type Row = Record<string, string>;
const readCsv = (file: string) => parseCsv(readFileSync(file, "utf8"), { columns: true }) as Row[];
const readParquet = async (file: string) =>
  (await parquetReadObjects({
    file: await asyncBufferFromFile(file),
    compressors: {
      GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)),
      BROTLI: (input: Uint8Array) => new Uint8Array(brotliDecompressSync(input)),
    },
  })) as Array<Record<string, unknown>>;

/** A copy of a fixture spec with `output:` settings added. */
function withOutput(fixture: string, output: string): string {
  const file = join(tempDir(), `${fixture}.yaml`);
  writeFileSync(file, `${readFileSync(join(FIXTURES, `${fixture}.yaml`), "utf8")}output: ${output}\n`);
  return file;
}

/** Same value as points.csv writes it (six significant digits), within a 32-bit float's precision. */
function sameFigure(csv: string, pq: unknown): boolean {
  if (csv === "") return pq === null;
  if (typeof pq === "bigint") return BigInt(csv) === pq;
  if (typeof pq !== "number") return csv === pq;
  const v = Number(csv);
  return Math.abs(v - pq) <= 1e-5 * Math.max(Math.abs(v), 1e-30);
}

test("every infeasibility reason has a meaning for infeasible.csv and explain", () => {
  for (const reason of INFEASIBLE_REASONS.slice(1)) assert.ok(REASON_TEXT[reason], `${reason} has no meaning`);
});

test("without --out a run writes ./out/<name> under the current working directory", () => {
  const cwd = tempDir();
  const r = cli(["run", join(FIXTURES, "tiny.yaml"), "--quiet"], cwd);
  assert.is(r.code, 0, r.stderr);
  assert.ok(existsSync(join(cwd, "out", "tiny", "points.csv")));
});

test("points.parquet holds every feasible point with points.csv's columns and values, nulls for its empty fields", async () => {
  const out = join(tempDir(), "run");
  const r = cli(["run", withOutput("medium", "{ points_parquet: true }"), "--out", out, "--quiet", "--workers", "2"]);
  assert.is(r.code, 0, r.stderr);
  const csv = readCsv(join(out, "points.csv"));
  const pq = await readParquet(join(out, "points.parquet"));
  assert.is(pq.length, csv.length);
  assert.equal(Object.keys(pq[0]!), Object.keys(csv[0]!));
  csv.forEach((row, i) => {
    for (const [k, v] of Object.entries(row))
      if (!sameFigure(v, pq[i]![k])) assert.unreachable(`row ${i} ${k}: csv ${v} parquet ${String(pq[i]![k])}`);
  });
  assert.ok(
    csv.some((row) => row.ps_nodes === "") && csv.some((row) => row.ps_nodes !== ""),
    "the sweep has empty and filled optional fields",
  );
});

test("points.parquet of a sweep with what-if parts ends with points.csv's derived_parts column", async () => {
  const spec = join(tempDir(), "whatif.yaml");
  writeFileSync(
    spec,
    `schemaVersion: 1
name: whatif
systems:
  - dgx-h100
  - id: my-node
    compose:
      accelerator: [h100-sxm5-80gb, { derive: { from: h100-sxm5-80gb, memory_bandwidth_gb_per_s: x2, price_usd: x1.5, tdp_w: x1 } }]
      accelerators_per_node: 8
      fabric: nvswitch3
      host_cpu: xeon-platinum-8480c
      cpu_sockets: 2
      host_memory_gb: 2048
      nic: cx7-ndr-400
      nics_per_node: 8
nodes: [1, 4]
placements: [hbm-table-wise, host-dram]
models: [{ preset: dlrm-mlperf-v1 }]
training: { batch_size: [16384, 65536], precision: [fp32, bf16] }
output: { points_parquet: true, report: false }
`,
  );
  const out = join(tempDir(), "run");
  const r = cli(["run", spec, "--out", out, "--quiet"]);
  assert.is(r.code, 0, r.stderr);
  const csv = readCsv(join(out, "points.csv"));
  const pq = await readParquet(join(out, "points.parquet"));
  assert.equal(Object.keys(pq[0]!), Object.keys(csv[0]!));
  assert.is(Object.keys(pq[0]!).at(-1), "derived_parts");
  assert.equal(
    pq.map((row) => row.derived_parts),
    csv.map((row) => row.derived_parts || null),
  );
  assert.ok(pq.some((row) => row.derived_parts === "h100-sxm5-80gb+bw2x+usd1.5x"));
});

test("DuckDB reads points.parquet: the same rows, figures and nulls as points.csv", async () => {
  const out = join(tempDir(), "run");
  const r = cli(["run", withOutput("medium", "{ points_parquet: true }"), "--out", out, "--quiet", "--workers", "2"]);
  assert.is(r.code, 0, r.stderr);
  const csv = readCsv(join(out, "points.csv"));
  const db = await (await DuckDBInstance.create(":memory:")).connect();
  const file = join(out, "points.parquet").replaceAll("'", "''");
  const rows = (await db.runAndReadAll(`SELECT * FROM '${file}' ORDER BY index`)).getRowObjectsJson();
  assert.is(rows.length, csv.length);
  assert.equal(Object.keys(rows[0]!), Object.keys(csv[0]!));
  csv.forEach((row, i) => {
    for (const [k, v] of Object.entries(row)) {
      const got = rows[i]![k];
      // DuckDB gives 32-bit integers as numbers and wider ones as strings
      const value = typeof got === "string" && k === "index" ? BigInt(got) : got;
      if (!sameFigure(v, value)) assert.unreachable(`row ${i} ${k}: csv ${v} duckdb ${String(got)}`);
    }
  });
});

test("output.columns chooses points.parquet's columns and their order; points.csv off leaves only the parquet file", async () => {
  const out = join(tempDir(), "run");
  const spec = withOutput(
    "tiny",
    "{ points_csv: false, points_parquet: true, columns: [system, index, samples_per_joule, embedding_dim] }",
  );
  const r = cli(["run", spec, "--out", out, "--quiet"]);
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(existsSync(join(out, "points.csv")));
  const pq = await readParquet(join(out, "points.parquet"));
  assert.equal(Object.keys(pq[0]!), ["system", "index", "samples_per_joule", "embedding_dim"]);
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  assert.is(pq.length, manifest.feasible);
});

test("output.columns accepts points.csv's interval columns, which points.parquet then holds", async () => {
  assert.equal(POINT_TAIL_COLUMNS.slice(0, INTERVAL_COLUMNS.length), [...INTERVAL_COLUMNS]);
  const out = join(tempDir(), "run");
  const spec = withOutput(
    "tiny",
    "{ points_csv: false, points_parquet: true, columns: [index, unmeasured, throughput_lo95] }",
  );
  const r = cli(["run", spec, "--out", out, "--quiet"]);
  assert.is(r.code, 0, r.stderr);
  const pq = await readParquet(join(out, "points.parquet"));
  assert.equal(Object.keys(pq[0]!), ["index", "unmeasured", "throughput_lo95"]);
  assert.ok(pq.every((row) => typeof row.throughput_lo95 === "number" || row.throughput_lo95 === null));
});

test("an unknown output column is a spec error that lists the columns", () => {
  const r = cli(["check", withOutput("tiny", "{ points_parquet: true, columns: [sytem] }")]);
  assert.is(r.code, 2);
  assert.match(
    r.stderr,
    /output\.columns\[0\]: unknown column 'sytem', did you mean 'system'\? \(expected points\.csv's columns: index, /,
  );
});

test("top-k.csv ranks the k best points of each workload by each objective, without points.csv", () => {
  const dir = tempDir();
  const all = cli(["run", join(FIXTURES, "tiny.yaml"), "--out", join(dir, "all"), "--quiet"]);
  assert.is(all.code, 0, all.stderr);
  const top = cli(["run", withOutput("tiny", "{ points_csv: false, top_k: 3 }"), "--out", join(dir, "top"), "--quiet"]);
  assert.is(top.code, 0, top.stderr);
  const points = readCsv(join(dir, "all", "points.csv"));
  const rows = readCsv(join(dir, "top", "top-k.csv"));
  const workloads = [...new Set(points.map((p) => p.workload!))];
  for (const w of workloads)
    for (const objective of ["samples_per_joule", "samples_per_usd"]) {
      const mine = rows.filter((r) => r.workload === w && r.objective === objective);
      assert.equal(
        mine.map((r) => r.rank),
        ["1", "2", "3"],
        `${w} ${objective}`,
      );
      const best = Math.max(...points.filter((p) => p.workload === w).map((p) => Number(p[objective])));
      assert.is(Number(mine[0]![objective]), best, `${w} ${objective}`);
      const ranked = mine.map((r) => Number(r[objective]));
      assert.equal(
        ranked,
        [...ranked].sort((a, b) => b - a),
      );
    }
});

test("per-run figures use each model's own samples per epoch, and a model without one is named, not silently empty", () => {
  const spec = join(tempDir(), "per-run.yaml");
  writeFileSync(
    spec,
    "schemaVersion: 1\nname: per-run\nsystems: [dgx-h100]\nnodes: [1]\nplacements: [hbm-table-wise]\n" +
      "models: [{ preset: dlrm-mlperf-v1 }, { preset: deeprecsys-rmc1 }]\ntraining: { batch_size: [65536] }\n",
  );
  const out = join(tempDir(), "run");
  const r = cli(["run", spec, "--out", out, "--quiet"]);
  assert.is(r.code, 0, r.stderr);
  const rows = readCsv(join(out, "points.csv"));
  const dlrm = rows.find((x) => x.model === "dlrm-mlperf-v1")!;
  const byHand = 4195197692 / Number(dlrm.throughput_samples_per_s) / 3600; // MLPerf DLRM samples per epoch
  assert.ok(Math.abs(Number(dlrm.time_to_train_h) - byHand) <= 1e-5 * byHand, dlrm.time_to_train_h);
  assert.is(rows.find((x) => x.model === "deeprecsys-rmc1")!.time_to_train_h, "");
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  assert.match(manifest.per_run_figures, /cannot be computed for deeprecsys-rmc1: .*set training\.samples_to_train/);
  assert.match(cli(["check", spec]).stdout, /per-run figures .* cannot be computed for deeprecsys-rmc1/);
});

test.run();
