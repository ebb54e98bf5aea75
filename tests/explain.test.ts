import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { cli, FIXTURES, tempDir } from "./helpers.ts";

type Row = Record<string, string>;
const readCsv = (file: string) => parseCsv(readFileSync(file, "utf8"), { columns: true }) as Row[];

/** 400 GB of tables on Big Basin: one node cannot hold them, four can; remote-ps holds them in any case. */
const SPEC = `schemaVersion: 1
name: explain-me
systems: [big-basin-v100]
nodes: [1, 2, 4, 8]
placements: [hbm-table-wise, remote-ps]
ps_nodes: [1, 4]
models:
  - preset: deeprecsys-rmc2
    sweep: { embedding_total_gb: [400] }
training: { batch_size: [65536], precision: [fp16] }
`;

function run(extra: string[] = []): string {
  const dir = tempDir();
  writeFileSync(join(dir, "spec.yaml"), SPEC);
  const out = join(dir, "run");
  const r = cli(["run", join(dir, "spec.yaml"), "--out", out, "--quiet", ...extra]);
  assert.is(r.code, 0, r.stderr);
  return out;
}

test("infeasible-by-system.csv counts each system's infeasible points by reason with example indices", () => {
  const out = join(tempDir(), "run");
  assert.is(cli(["run", join(FIXTURES, "medium.yaml"), "--out", out, "--quiet", "--workers", "2"]).code, 0);
  const bySystem = readCsv(join(out, "infeasible-by-system.csv"));
  const byReason = readCsv(join(out, "infeasible.csv"));
  assert.equal(Object.keys(byReason[0]!), ["reason", "points", "meaning"]);
  for (const r of byReason) {
    const sum = bySystem.filter((x) => x.reason === r.reason).reduce((a, x) => a + Number(x.points), 0);
    assert.is(sum, Number(r.points), r.reason);
  }
  const feasible = new Set(readCsv(join(out, "points.csv")).map((p) => p.index));
  const example = bySystem[0]!;
  const indices = example.example_indices!.split(" ");
  assert.ok(indices.length >= 1 && indices.every((i) => !feasible.has(i)));
  const explained = cli(["explain", out, indices[0]!]);
  assert.is(explained.code, 0, explained.stderr);
  assert.match(explained.stdout, new RegExp(`infeasible: ${example.reason}:`));
  assert.match(explained.stdout, new RegExp(`system +${example.system} `));
  const inline = join(tempDir(), "run");
  assert.is(cli(["run", join(FIXTURES, "medium.yaml"), "--out", inline, "--quiet", "--workers", "1"]).code, 0);
  assert.is(
    readFileSync(join(inline, "infeasible-by-system.csv"), "utf8"),
    readFileSync(join(out, "infeasible-by-system.csv"), "utf8"),
  );
});

test("explain shows an infeasible point's needed vs available memory and the fewest nodes at which it fits", () => {
  const out = run();
  const r = cli(["explain", out, "0"]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /infeasible: hbm-capacity/);
  assert.match(r.stdout, /accelerator memory per device: needed [\d.]+ GB \(tables .*\), available 14\.4 GB of 16 GB/);
  const fits = /fits from (\d+) nodes of big-basin-v100 \(point (\d+)\)/.exec(r.stdout);
  assert.ok(fits, r.stdout);
  const points = readCsv(join(out, "points.csv"));
  const at = points.find((p) => p.index === fits![2]);
  assert.ok(at, "the suggested point is feasible");
  assert.is(at!.nodes, fits![1]);
  assert.is(at!.embedding_placement, "hbm-table-wise");
  assert.ok(points.every((p) => p.embedding_placement !== "hbm-table-wise" || Number(p.nodes) >= Number(fits![1])));
  assert.match(r.stdout, /or placement remote-ps with 1 parameter servers \(point \d+\)/);
});

test("explain gives the bytes and effective bandwidth behind the communication terms", () => {
  const r = cli(["explain", run(), "6"]);
  assert.is(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /all-to-all: [\d.e+-]+ GB per device \(forward \+ backward, [\d.e+-]+ GB each way\) in [\d.]+ ms before overlap, effective [\d.]+ GB\/s/,
  );
  assert.match(r.stdout, /all-reduce: [\d.e+-]+ GB in [\d.]+ ms before overlap, effective/);
});

test("explain refuses, with exit 2, to answer with a different user catalog than the run's", () => {
  const cat = join(tempDir(), "catalog");
  mkdirSync(cat);
  writeFileSync(
    join(cat, "systems.json"),
    JSON.stringify({
      systems: [
        {
          id: "my-h100-box",
          name: "my box",
          kind: "gpu-server",
          accelerator: "h100-sxm5-80gb",
          accelerators_per_node: 8,
          fabric: "nvswitch3",
          host_cpu: "xeon-platinum-8480+",
          cpu_sockets: 2,
          host_memory_gb: 2048,
          nic: "cx7-ndr-400",
          nics_per_node: 8,
          sources: [{ ref: "test", supports: "a test system" }],
        },
      ],
    }),
  );
  const withCatalog = run(["--catalog", cat]);
  const manifest = JSON.parse(readFileSync(join(withCatalog, "manifest.json"), "utf8"));
  assert.match(manifest.user_catalog_sha256, /^[0-9a-f]{64}$/);
  const without = cli(["explain", withCatalog, "6"]);
  assert.is(without.code, 2);
  assert.match(
    without.stderr,
    /was run with a user catalog \(sha256 [0-9a-f]{12}…\) \(expected the same --catalog DIR as the run\)/,
  );
  assert.is(cli(["explain", withCatalog, "6", "--catalog", cat]).code, 0);
  const plain = run();
  assert.is(JSON.parse(readFileSync(join(plain, "manifest.json"), "utf8")).user_catalog_sha256, null);
  assert.is(cli(["explain", plain, "6", "--catalog", cat]).code, 2);
});

test("explain says a point written as another's frontier row is on the frontier, and what auto resolved to", () => {
  const dir = tempDir();
  writeFileSync(
    join(dir, "spec.yaml"),
    `schemaVersion: 1
name: explain-merged
systems: [dgx-h100]
nodes: [1]
placements: [hbm-table-wise, hbm-cache, auto]
models: [{ preset: deeprecsys-rmc3 }]
training: { batch_size: [65536], precision: [fp16, bf16] }
`,
  );
  const out = join(dir, "run");
  assert.is(cli(["run", join(dir, "spec.yaml"), "--out", out, "--quiet"]).code, 0);
  const frontier = readCsv(join(out, "frontier.csv"));
  assert.is(frontier.length, 1, "six points with one result are one row");
  const row = frontier[0]!;
  assert.is(row.equivalent_placements, "hbm-table-wise hbm-cache auto");
  assert.is(row.equivalent_precisions, "fp16 bf16");
  const others = row.equivalent_indices!.split(" ");
  assert.is(others.length, 5);
  const auto = others.at(-1)!; // auto is the last placement, bf16 the last precision
  const r = cli(["explain", out, auto]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /placement auto \(resolved to hbm-table-wise/);
  assert.match(r.stdout, /on the frontier of deeprecsys-rmc3/);
  assert.match(r.stdout, new RegExp(`identical results to point ${row.index} `));
});

test("an infeasible table-wise point whose largest table exceeds a device says no node count fits it", () => {
  const dir = tempDir();
  const spec = join(dir, "big-table.yaml");
  writeFileSync(
    spec,
    `schemaVersion: 1
name: big-table
systems: [dgx-h100]
nodes: [1, 8]
placements: [hbm-table-wise, hbm-row-wise]
models:
  - inline:
      id: one-big-table
      dense_features: 16
      bottom_mlp: [64]
      top_mlp: [64, 1]
      embedding_dim: 64
      interaction: { kind: dot }
      optimizer: sgd
      tables: [{ count: 1, size_gb: 100, pooling: 1, zipf_alpha: 1.05 }]
training: { batch_size: [65536], precision: [bf16] }
output: { report: false }
`,
  );
  const out = join(dir, "run");
  assert.is(cli(["run", spec, "--out", out, "--quiet"]).code, 0);
  // index order: nodes, then placement: point 2 is 8 nodes, hbm-table-wise
  const r = cli(["explain", out, "2"]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, "8 node(s)   placement hbm-table-wise");
  assert.match(r.stdout, /the largest table alone needs 100 GB .* so no node count fits it/);
  const fits = cli(["explain", out, "3"]);
  assert.not.match(fits.stdout, "the largest table alone");
});

test.run();
