// recsweep catalog ID (issue 18 item 7): one entry's figures with units, meaning and sources; unknown ids exit 2.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, tempDir } from "./helpers.ts";

test("recsweep catalog ID shows an entry's figures with units, derivations and sources", () => {
  const r = cli(["catalog", "h100-sxm5-80gb"]);
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.split("\n");
  assert.match(lines[0]!, /^accelerators h100-sxm5-80gb: /);
  assert.ok(lines.some((l) => /^ {2}memory_bandwidth_gb_per_s +3350 GB\/s +\(peak memory bandwidth/.test(l)));
  assert.ok(lines.some((l) => /^ {2}tdp_w +700 W/.test(l)));
  assert.ok(
    lines.some((l) => /^ +derived: /.test(l)),
    "a derived figure says how",
  );
  const sources = lines.indexOf("  sources:");
  assert.ok(sources > 0 && lines[sources + 1]!.startsWith("    - "), r.stdout);
});

test("recsweep catalog ID marks a figure a --catalog file overrides, with the old value and the source", () => {
  const dir = join(tempDir(), "cat");
  mkdirSync(dir);
  writeFileSync(
    join(dir, "o.yaml"),
    "overrides:\n  - { kind: cpus, id: epyc-9654, set: { price_usd: 5000 }, sources: [{ ref: po-17, supports: price }] }\n",
  );
  const r = cli(["catalog", "epyc-9654", "--catalog", dir]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /price_usd +5000 USD/);
  assert.match(r.stdout, /override \(was \d+\): po-17 \(price\), at .*o\.yaml:2:\d+/);
  assert.match(r.stdout, "    - po-17 (supports: price)");
});

test("every figure key of the built-in catalog gets its unit from its name", async () => {
  const { unitOf } = await import("../src/catalog/figures.ts");
  assert.is(unitOf("gb_per_s_per_direction"), "GB/s per direction");
  assert.is(unitOf("memory_bandwidth_gb_per_s_per_socket"), "GB/s per socket");
  assert.is(unitOf("line_rate_gbit_per_s"), "Gbit/s");
  assert.is(unitOf("latency_us"), "µs");
  assert.is(unitOf("cores"), "");
});

test("recsweep catalog ID --json prints the entry under its kind", () => {
  const r = cli(["catalog", "dgx-h100", "--json"]);
  assert.is(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(Object.keys(j), ["systems"]);
  assert.is(j.systems.id, "dgx-h100");
});

test("an unknown id exits 2 with the nearest id and no stack trace", () => {
  const r = cli(["catalog", "dgx-h10"]);
  assert.is(r.code, 2);
  assert.is(r.stdout, "");
  assert.match(r.stderr, "catalog: unknown id 'dgx-h10', did you mean 'dgx-h100'? (expected a catalog id");
  assert.not.match(r.stderr, /\n\s+at /);
});

test.run();
