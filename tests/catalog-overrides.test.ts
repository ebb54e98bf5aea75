// Catalog overrides and plausibility warnings (issue 18 item 7).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadCatalog } from "../src/catalog/load.ts";
import { overrideLines } from "../src/cli/catalog-notes.ts";
import { catalogWarnings, FIGURE_CHECKS, plausibleRange } from "../src/catalog/plausible.ts";
import { InputError } from "../src/input/errors.ts";
import { cli, FIXTURES, ROOT, tempDir } from "./helpers.ts";

function catalogDir(files: Record<string, string>): string {
  const dir = join(tempDir(), "cat");
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
const problemsOf = (dir: string): string[] => {
  try {
    loadCatalog(dir);
  } catch (e) {
    if (e instanceof InputError) return e.problems;
    throw e;
  }
  return [];
};
const PRICE = `overrides:
  - kind: accelerators
    id: h100-sxm5-80gb
    set: { price_usd: 21000 }
    sources: [{ ref: "purchase order 2026-10", supports: "negotiated unit price" }]
`;

test("an override replaces one figure of a built-in part and keeps every other figure and source", () => {
  const base = loadCatalog().accelerators.get("h100-sxm5-80gb")!;
  const cat = loadCatalog(catalogDir({ "prices.yaml": PRICE }));
  const after = cat.accelerators.get("h100-sxm5-80gb")!;
  assert.is(after.price_usd, 21000);
  assert.equal({ ...after, price_usd: base.price_usd, sources: base.sources }, base);
  assert.equal(after.sources, [...base.sources, { ref: "purchase order 2026-10", supports: "negotiated unit price" }]);
  assert.equal(
    cat.overrides.map(({ kind, id, field, from, to }) => ({ kind, id, field, from, to })),
    [{ kind: "accelerators", id: "h100-sxm5-80gb", field: "price_usd", from: base.price_usd, to: 21000 }],
  );
  assert.is.not(cat.hash, loadCatalog().hash);
});

test("the overrides examples of README.md and hardware/README.md load and replace the price they name", () => {
  for (const doc of ["README.md", join("hardware", "README.md")]) {
    const text = readFileSync(join(ROOT, doc), "utf8");
    const block = /```yaml\n(# mine\/prices\.yaml\n[\s\S]*?)```/.exec(text)![1]!;
    const cat = loadCatalog(catalogDir({ "prices.yaml": block }));
    assert.is(cat.accelerators.get("h100-sxm5-80gb")!.price_usd, 21000, doc);
  }
});

test("an override of an unknown id, or of an id of another kind, is an error with a suggestion", () => {
  const problems = problemsOf(
    catalogDir({
      "o.yaml": `overrides:
  - { kind: systems, id: dgx-h10, set: { price_usd: 1 }, sources: [{ ref: q, supports: p }] }
  - { kind: accelerators, id: dgx-h100, set: { price_usd: 1 }, sources: [{ ref: q, supports: p }] }
`,
    }),
  );
  assert.is(problems.length, 2, problems.join("\n"));
  assert.match(
    problems[0]!,
    /o\.yaml:2:\d+: overrides\[0\]\.id: no systems entry 'dgx-h10', did you mean 'dgx-h100'\?/,
  );
  assert.match(
    problems[1]!,
    /o\.yaml:3:\d+: overrides\[1\]\.id: no accelerators entry 'dgx-h100', but systems has one/,
  );
});

test("an override of a part's price says which catalog systems keep their own price", () => {
  const dir = catalogDir({
    "o.yaml": `overrides:
  - { kind: accelerators, id: h100-sxm5-80gb, set: { price_usd: 21000 }, sources: [{ ref: q, supports: p }] }
`,
  });
  const line = overrideLines(loadCatalog(dir))[0]!;
  assert.match(line, /price_usd 25000 USD -> 21000 USD .*; not in the price of dgx-h100, which has its own price_usd/);
});

test("a dangling part an override sets is reported at the override, not at the built-in entry", () => {
  const problems = problemsOf(
    catalogDir({
      "o.yaml": `overrides:
  - { kind: systems, id: dgx-h100, set: { accelerator: h900 }, sources: [{ ref: q, supports: p }] }
`,
    }),
  );
  assert.is(problems.length, 1, problems.join("\n"));
  assert.match(problems[0]!, /o\.yaml:2:\d+: systems 'dgx-h100'\.accelerator: unknown accelerators id 'h900'/);
});

test("an override of a field the kind lacks, or of a misspelt kind, is an error with a suggestion", () => {
  const problems = problemsOf(
    catalogDir({
      "o.yaml": `overrides:
  - { kind: accelerators, id: h100-sxm5-80gb, set: { prise_usd: 1 }, sources: [{ ref: q, supports: p }] }
  - { kind: accelerator, id: h100-sxm5-80gb, set: { price_usd: 1 }, sources: [{ ref: q, supports: p }] }
`,
    }),
  );
  assert.is(problems.length, 2, problems.join("\n"));
  assert.match(problems[0]!, "overrides[0].set.prise_usd: unknown key 'prise_usd', did you mean 'price_usd'?");
  assert.match(
    problems[1]!,
    "overrides[1].kind: must be equal to one of the allowed values, did you mean 'accelerators'?",
  );
});

test("the same figure overridden twice is refused with both positions", () => {
  const problems = problemsOf(catalogDir({ "a.yaml": PRICE, "b.yaml": PRICE }));
  assert.is(problems.length, 1, problems.join("\n"));
  assert.match(problems[0]!, /b\.yaml:4:\d+: .*already overridden at .*a\.yaml:4:\d+/);
});

test("a run records the overrides in its manifest and prices with the overridden figure", () => {
  const dir = catalogDir({
    "prices.yaml": PRICE.replace("accelerators", "systems")
      .replace("h100-sxm5-80gb", "dgx-h100")
      .replace("21000", "135000"),
  });
  const spec = join(tempDir(), "s.yaml");
  writeFileSync(spec, readFileSync(join(FIXTURES, "tiny.yaml"), "utf8").replace("big-basin-v100", "dgx-h100"));
  const runOf = (extra: string[]) => {
    const out = join(tempDir(), "run");
    const r = cli(["run", spec, "--out", out, "--quiet", "--workers", "1", ...extra]);
    assert.is(r.code, 0, r.stderr);
    return { out, r, manifest: JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) };
  };
  const plain = runOf([]);
  const cheaper = runOf(["--catalog", dir]);
  assert.is(plain.manifest.catalog_overrides, undefined);
  assert.equal(cheaper.manifest.catalog_overrides, [
    {
      kind: "systems",
      id: "dgx-h100",
      field: "price_usd",
      from: 270000,
      to: 135000,
      sources: ["purchase order 2026-10 (negotiated unit price)"],
    },
  ]);
  assert.match(cheaper.r.stderr, "catalog override: systems 'dgx-h100'.price_usd 270000 USD -> 135000 USD");
  const cost = (out: string) => {
    const [head, ...rows] = readFileSync(join(out, "points.csv"), "utf8").trim().split("\n");
    const cols = head!.split(",");
    const row = rows.map((l) => l.split(",")).find((c) => c[cols.indexOf("system")] === "dgx-h100")!;
    return { index: row[0], usd: Number(row[cols.indexOf("cost_usd_per_hour")]) };
  };
  const [a, b] = [cost(plain.out), cost(cheaper.out)];
  assert.is(a.index, b.index);
  assert.ok(b.usd < a.usd, `${b.usd} < ${a.usd}`);
});

test("every built-in figure lies within its plausible range, so the built-in catalog raises no warning", () => {
  const cat = loadCatalog();
  assert.equal(catalogWarnings(cat), []);
  for (const check of FIGURE_CHECKS) {
    const r = plausibleRange(check, cat.builtIn!);
    assert.ok(r && r.lo > 0 && r.hi > r.lo, `${check.kind}.${check.field}`);
  }
});

test("an HBM bandwidth of 8 GB/s and an idle power 125 x the TDP are warned about with the range and source", () => {
  const dir = catalogDir({
    "acc.yaml": `accelerators:
  - id: future-gpu
    name: Next-generation accelerator
    memory_capacity_gb: 288
    memory_bandwidth_gb_per_s: 8
    tdp_w: 120
    idle_w: 15000
    sources: [{ ref: "vendor briefing", supports: "all figures" }]
`,
  });
  const warnings = catalogWarnings(loadCatalog(dir));
  assert.is(warnings.length, 2, warnings.join("\n"));
  assert.match(warnings[0]!, /acc\.yaml:5:5: accelerators 'future-gpu'\.memory_bandwidth_gb_per_s: 8 GB\/s is outside/);
  assert.match(warnings[0]!, "150 GB/s to 16000 GB/s (lowest real: l4-pcie-24gb 300 GB/s, built-in catalog");
  assert.match(warnings[1]!, /acc\.yaml:7:5: accelerators 'future-gpu'\.idle_w: 15000 W is 125 x its tdp_w of 120 W/);
  const spec = join(FIXTURES, "tiny.yaml");
  const check = cli(["check", spec, "--catalog", dir]);
  assert.is(check.code, 0, check.stderr);
  assert.match(check.stdout, "plausibility: 2 figure(s) out of any real part's range");
  const run = cli(["run", spec, "--catalog", dir, "--out", join(tempDir(), "r"), "--quiet", "--workers", "1"]);
  assert.is(run.code, 0, run.stderr);
  assert.is(run.stderr.split("\n").filter((l) => l.includes("'future-gpu'.memory_bandwidth_gb_per_s")).length, 1);
});

const WHAT_IF_SPEC = `schemaVersion: 1
name: whatif
systems:
  - id: my-node
    compose:
      accelerator:
        - h100-sxm5-80gb
        - derive: { from: h100-sxm5-80gb, memory_bandwidth_gb_per_s: [x2, x10], price_usd: x1.2, tdp_w: x1 }
        - derive: { from: h100-sxm5-80gb, memory_bandwidth_gb_per_s: 8, price_usd: x1, tdp_w: x1 }
      accelerators_per_node: 8
      fabric: nvswitch3
      host_cpu: { derive: { from: xeon-platinum-8480c, cores: x1, tdp_w: x1, idle_w: 5000, price_usd: 10000 } }
      cpu_sockets: 2
      host_memory_gb: [2048, 40]
      nic: cx7-ndr-400
      nics_per_node: 8
nodes: [1]
placements: [hbm-table-wise]
models:
  - preset: dlrm-mlperf-v1
training:
  batch_size: [65536]
  precision: [bf16]
output: { report: false }
`;

test("figures composed in a spec are warned about with the range and its source; a what-if says it is one", () => {
  const spec = join(tempDir(), "whatif.yaml");
  writeFileSync(spec, WHAT_IF_SPEC);
  const check = cli(["check", spec]);
  assert.is(check.code, 0, check.stderr);
  const warnings = check.stdout.split("\n").filter((l) => l.startsWith("warning: "));
  assert.is(warnings.length, 4, warnings.join("\n"));
  assert.match(check.stdout, "plausibility: 4 figure(s) out of any real part's range");
  // x10 of a real part: beyond every real part, and said to be a what-if (not a wrong unit)
  assert.match(warnings[0]!, /whatif\.yaml:8:\d+: what-if accelerators 'h100-sxm5-80gb\+bw10x\+usd1\.2x'/);
  assert.match(warnings[0]!, "33500 GB/s is outside any real part's range, 150 GB/s to 16000 GB/s");
  assert.match(warnings[0]!, /highest: g?b[12]00-\S+ 8000 GB\/s, built-in catalog/);
  assert.match(warnings[0]!, "a what-if outside every real part, derived from 'h100-sxm5-80gb' (3350 GB/s)");
  assert.match(warnings[0]!, "check the factor");
  // a value set outright: a what-if too, and perhaps the wrong unit
  assert.match(warnings[1]!, /whatif\.yaml:9:\d+: .*'h100-sxm5-80gb\+bw8'.*8 GB\/s is outside.*wrong unit/);
  assert.match(warnings[2]!, /whatif\.yaml:12:\d+: what-if cpus .*idle_w: 5000 W is 14\.3 x its tdp_w of 350 W/);
  assert.match(warnings[3]!, /whatif\.yaml:14:\d+: compose 'my-node'\.host_memory_gb: 40 GB is outside/);
  // x2 of the same part lies within the range of real parts: no warning names it
  assert.not.match(check.stdout, "bw2x");
  const run = cli(["run", spec, "--out", join(tempDir(), "r"), "--quiet", "--workers", "1"]);
  assert.is(run.code, 0, run.stderr);
  assert.is(run.stderr.split("\n").filter((l) => l.includes("'h100-sxm5-80gb+bw10x+usd1.2x'")).length, 1);
});

test.run();
