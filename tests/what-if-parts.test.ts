import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadSpec } from "../src/spec/resolve.ts";
import { cli, problemsOf, tempDir } from "./helpers.ts";

const DERIVE =
  "{derive: {from: h100-sxm5-80gb, memory_bandwidth_gb_per_s: [x1, x1.5, x2], price_usd: [x1, 30000], tdp_w: x1.1}}";

function specFile(accelerator: string, extra = ""): string {
  const file = join(tempDir(), "whatif.yaml");
  writeFileSync(
    file,
    `schemaVersion: 1\nname: whatif\nsystems:\n  - id: mine\n    compose: {accelerator: ${accelerator}, ` +
      "accelerators_per_node: 8, fabric: nvswitch3, host_cpu: xeon-platinum-8480c, cpu_sockets: 2, " +
      "host_memory_gb: 2048, nic: cx7-ndr-400, nics_per_node: 8}\nnodes: [1, 2]\nplacements: [hbm-table-wise]\n" +
      `models: [{preset: dlrm-mlperf-v1}]\ntraining: {batch_size: [65536], precision: [fp16]}\n${extra}`,
  );
  return file;
}

test("a derive expands to one what-if part per combination of its figures, scaled (x1.5) or set (a number)", () => {
  const { plan } = loadSpec(specFile(DERIVE));
  assert.is(plan.systems.length, 3 * 2);
  const accs = plan.systems.map((s) => s.accelerator!);
  assert.equal(
    accs.map((a) => a.memory_bandwidth_gb_per_s),
    [3350, 3350, 5025, 5025, 6700, 6700],
  );
  assert.equal(
    accs.map((a) => a.price_usd),
    [25000, 30000, 25000, 30000, 25000, 30000],
  );
  assert.ok(accs.every((a) => a.tdp_w === 770));
  assert.is(accs[2]!.id, "h100-sxm5-80gb+bw1.5x+tdp1.1x");
  assert.equal(plan.derivedParts![3], ["h100-sxm5-80gb+bw1.5x+tdp1.1x+usd30000"]);
});

test("idle power a derive does not give scales with its peak power, and says so in the part's derived notes", () => {
  const { plan } = loadSpec(specFile(DERIVE));
  const acc = plan.systems[0]!.accelerator!;
  assert.is(acc.idle_w, 82.5); // 75 W x 1.1
  assert.match(acc.derived!.idle_w!, /idle power scales with tdp_w/);
  assert.match(acc.derived!.tdp_w!, /what-if: 1.1 x h100-sxm5-80gb's 700/);
});

test("a what-if part that changes performance must state its price and power: they are never copied silently", () => {
  const problems = problemsOf(specFile("{derive: {from: h100-sxm5-80gb, memory_bandwidth_gb_per_s: [x2]}}"));
  const text = problems.join("\n");
  assert.match(text, /systems\[0\]\.compose\.accelerator\.derive\.price_usd: a what-if part that changes performance/);
  assert.match(text, /derive\.tdp_w: a what-if part that changes performance must state tdp_w/);
  const unknown = problemsOf(specFile("{derive: {from: b300, price_usd: 1}}"));
  assert.match(unknown.join("\n"), /derive\.from: unknown accelerators id 'b300'/);
  const wrong = problemsOf(specFile("{derive: {from: h100-sxm5-80gb, cores: [x2], price_usd: x1, tdp_w: x1}}"));
  assert.match(wrong.join("\n"), /derive\.cores: not a figure of accelerators/);
});

test("points on a what-if part name it in a last derived_parts column; catalog-only runs have none", () => {
  const out = join(tempDir(), "run");
  const file = specFile(DERIVE, "output: {report: false}\n");
  const r = cli(["run", file, "--out", out, "--quiet", "--workers", "1"]);
  assert.is(r.code, 0, r.stderr);
  // frontier.csv has points.csv's columns, then the frontier's own (honest frontier, frontier_probability)
  const header = (name: string) => readFileSync(join(out, name), "utf8").split("\n")[0]!;
  assert.ok(header("frontier.csv").startsWith(header("points.csv")), "frontier.csv starts with points.csv's columns");
  for (const name of ["points.csv"]) {
    const lines = readFileSync(join(out, name), "utf8").trim().split("\n");
    assert.ok(lines[0]!.endsWith(",derived_parts"), name);
    assert.ok(
      lines.slice(1).every((l) => /,(h100-sxm5-80gb\+\S*)?$/.test(l)),
      name,
    );
  }
  const plain = join(tempDir(), "plain");
  const r2 = cli(["run", specFile("h100-sxm5-80gb", "output: {report: false}\n"), "--out", plain, "--quiet"]);
  assert.is(r2.code, 0, r2.stderr);
  assert.not.match(readFileSync(join(plain, "points.csv"), "utf8").split("\n")[0]!, /derived_parts/);
});

test.run();
