import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { checkedBefore, readBuiltInCheck } from "../src/catalog/checked.ts";
import { loadCatalog } from "../src/catalog/load.ts";
import { overrideLines } from "../src/cli/catalog-notes.ts";
import { InputError } from "../src/input/errors.ts";
import { CATALOG_KINDS } from "../src/schema/catalog.ts";
import { emitSchemas } from "../src/schema/emit.ts";
import { ROOT, tempDir } from "./helpers.ts";

const REQUIRED_ACCELERATORS = [
  "v100-sxm2-16gb",
  "v100-sxm2-32gb",
  "v100-sxm3-32gb",
  "a100-sxm4-40gb",
  "a100-sxm4-80gb",
  "a100-pcie-40gb",
  "a100-pcie-80gb",
  "a30-pcie-24gb",
  "a40-pcie-48gb",
  "l40-pcie-48gb",
  "l40s-pcie-48gb",
  "h100-sxm5-80gb",
  "h100-pcie-80gb",
  "h200-sxm5-141gb",
  "mi250x-oam-128gb",
  "mi300x-oam-192gb",
  "gaudi2-oam-96gb",
];
const REQUIRED_CPUS = [
  "xeon-gold-6138",
  "xeon-gold-6248r",
  "xeon-platinum-8168",
  "xeon-platinum-8174",
  "xeon-platinum-8180",
  "xeon-platinum-8352v",
  "xeon-platinum-8358",
  "xeon-platinum-8360y",
  "xeon-platinum-8362",
  "xeon-platinum-8376h",
  "xeon-platinum-8378a",
  "xeon-platinum-8380",
  "xeon-platinum-8458p",
  "xeon-platinum-8460h",
  "xeon-platinum-8460y+",
  "xeon-platinum-8462y+",
  "xeon-platinum-8468",
  "xeon-platinum-8470",
  "xeon-platinum-8470q",
  "xeon-platinum-8480+",
  "xeon-platinum-8480c",
  "xeon-platinum-8568y+",
  "xeon-sapphire-rapids",
  "epyc-7h12",
  "epyc-7v12",
  "epyc-7513",
  "epyc-7543",
  "epyc-7713",
  "epyc-7742",
  "epyc-7763",
  "epyc-7773x",
  "epyc-9474f",
  "epyc-9654",
  "epyc-9684x",
];
const CALIBRATION_MODELS = [
  "dlrm-mlperf-v1",
  "dlrm-dcnv2-mlperf",
  "dlrm-dle-pytorch-small",
  "dlrm-dle-pytorch-large",
  "dlrm-dle-pytorch-xlarge",
  "dcnv2-dle-tf2",
  "torchrec-dlrm",
  "dlrm-paper-sample",
];
const EXTRA_MODELS = [
  "dlrm-dle-tf2-small",
  "dlrm-dle-tf2-large",
  "dlrm-dle-tf2-xlarge",
  "deeprecsys-rmc1",
  "deeprecsys-rmc2",
  "deeprecsys-rmc3",
  "production-scale",
];

test("the built-in catalog loads and holds every required accelerator, CPU and model", () => {
  const cat = loadCatalog();
  for (const id of REQUIRED_ACCELERATORS) assert.ok(cat.accelerators.has(id), id);
  for (const id of REQUIRED_CPUS) assert.ok(cat.cpus.has(id), id);
  for (const id of [...CALIBRATION_MODELS, ...EXTRA_MODELS]) assert.ok(cat.models.has(id), id);
  for (const id of [
    "cpu-skylake-2s",
    "big-basin-v100",
    "zion-like",
    "dgx-1-v100",
    "dgx-2h",
    "dgx-a100-40gb",
    "dgx-h100",
    "dgx-h200",
    "hgx-a100-4gpu",
    "pcie-8x-a100-80gb",
    "ps-node",
  ])
    assert.ok(cat.systems.has(id), id);
});

test("every catalog entry names at least one source, and every derived figure says how", () => {
  const cat = loadCatalog();
  for (const kind of CATALOG_KINDS) {
    for (const [id, e] of cat[kind] as Map<
      string,
      { sources: Array<{ ref: string; supports: string }>; derived?: Record<string, string> }
    >) {
      assert.ok(e.sources.length > 0 && e.sources.every((s) => s.ref && s.supports), `${kind} ${id}`);
      for (const [field, how] of Object.entries(e.derived ?? {})) assert.ok(how.length > 10, `${kind} ${id}.${field}`);
    }
  }
});

test("a user catalog adds hardware on top of the built-in one", () => {
  const dir = tempDir();
  writeFileSync(
    join(dir, "future.yaml"),
    `accelerators:\n  - id: future-gpu\n    name: A future GPU\n    memory_capacity_gb: 512\n    memory_bandwidth_gb_per_s: 20000\n    peak_tflops_fp16_bf16: 5000\n    tdp_w: 1500\n    idle_w: 150\n    price_usd: 60000\n    sources: [{ref: "vendor roadmap", supports: "all figures"}]\n`,
  );
  const cat = loadCatalog(dir);
  assert.ok(cat.accelerators.has("future-gpu"));
  assert.ok(cat.accelerators.has("h100-sxm5-80gb"));
});

test("a user catalog entry with a built-in id replaces the built-in entry whole, and says so", () => {
  const dir = tempDir();
  writeFileSync(
    join(dir, "mine.yaml"),
    `nics:\n  - id: cx5-edr-100\n    name: again\n    line_rate_gbit_per_s: 200\n    active_w: 10\n    idle_w: 1\n    sources: [{ref: x, supports: y}]\n`,
  );
  const cat = loadCatalog(dir);
  assert.is(cat.nics.get("cx5-edr-100")!.line_rate_gbit_per_s, 200);
  assert.is(cat.replaced.length, 1);
  assert.is(cat.replaced[0]!.id, "cx5-edr-100");
  assert.match(cat.replaced[0]!.at, /mine\.yaml:2:9$/);
  assert.match(cat.replaced[0]!.builtInAt, /links\.json:\d+:\d+$/);
  assert.match(overrideLines(cat)[0]!, /nics 'cx5-edr-100' replaced whole by the entry at .*mine\.yaml:2:9/);
  assert.is(loadCatalog().replaced.length, 0);
});

test("a duplicate id within a user catalog and a dangling reference are errors with file and line", () => {
  const dir = tempDir();
  const nic = (rate: number) =>
    `nics:\n  - id: cx5-edr-100\n    name: again\n    line_rate_gbit_per_s: ${rate}\n    active_w: 10\n    idle_w: 1\n    sources: [{ref: x, supports: y}]\n`;
  writeFileSync(join(dir, "a.yaml"), nic(200));
  writeFileSync(join(dir, "dup.yaml"), nic(400));
  try {
    loadCatalog(dir);
    assert.unreachable("should fail");
  } catch (e) {
    assert.instance(e, InputError);
    assert.match(
      (e as InputError).problems[0]!,
      /dup\.yaml:2:9: nics\[0\]\.id: duplicate id 'cx5-edr-100' \(already defined at .*a\.yaml:2:9; expected a new id\)/,
    );
  }
  const dir2 = tempDir();
  const sys = JSON.parse(readFileSync(join(ROOT, "hardware", "systems.json"), "utf8")).systems[0];
  writeFileSync(
    join(dir2, "s.json"),
    JSON.stringify({ systems: [{ ...sys, id: "mine", host_cpu: "xeon-9999" }] }, null, 2),
  );
  try {
    loadCatalog(dir2);
    assert.unreachable("should fail");
  } catch (e) {
    assert.match(
      (e as InputError).problems[0]!,
      /s\.json:\d+:\d+: systems 'mine'\.host_cpu: unknown cpus id 'xeon-9999' \(expected one of: /,
    );
  }
});

test("the built-in catalog loaded through the build's record equals the one checked in full", () => {
  const fast = loadCatalog();
  const full = loadCatalog(undefined, { fullCheck: true });
  assert.is(fast.hash, full.hash);
  for (const kind of CATALOG_KINDS) assert.equal([...fast[kind].keys()], [...full[kind].keys()], kind);
  const record = readBuiltInCheck();
  assert.ok(record, "npm run build records the built-in catalog (dist/catalog-checked.json)");
  const file = join(ROOT, "hardware", "cpus.json");
  const text = readFileSync(file, "utf8");
  assert.ok(checkedBefore(record, file, text));
  assert.not.ok(checkedBefore(record, file, text.replace("}", " }")), "an edited file is checked again");
  assert.not.ok(checkedBefore(null, file, text), "without a record every file is checked");
});

test("the committed JSON Schemas are the ones the TypeBox source emits", () => {
  const dir = tempDir();
  mkdirSync(dir, { recursive: true });
  emitSchemas(dir);
  for (const f of ["sweep.schema.json", "catalog.schema.json"]) {
    assert.is(
      readFileSync(join(ROOT, "schemas", f), "utf8"),
      readFileSync(join(dir, f), "utf8"),
      `${f} is stale: run npm run build`,
    );
  }
});

test.run();
