// The emitted JSON Schemas (issue 18 item 7): built-in catalog ids as enums with a pattern fallback for --catalog
// ids, and `default` keywords that give the same plan as leaving the fields out.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Ajv2020 } from "ajv/dist/2020.js";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadCatalog } from "../src/catalog/load.ts";
import { AJV_OPTIONS } from "../src/input/validate.ts";
import { loadSpec } from "../src/spec/resolve.ts";
import { cli, ROOT, tempDir } from "./helpers.ts";

const schema = JSON.parse(readFileSync(join(ROOT, "schemas", "sweep.schema.json"), "utf8"));
const catalogSchema = JSON.parse(readFileSync(join(ROOT, "schemas", "catalog.schema.json"), "utf8"));
/** The enum a schema node offers, searched through its anyOf branches (a compose field: one id, a what-if part or a
 *  list of either). */
type Node = { enum?: string[]; anyOf?: Node[] };
const enumOf = (node: Node): string[] | undefined =>
  node.enum ?? (node.anyOf ?? []).map(enumOf).find((e) => e !== undefined);
const sorted = (m: Map<string, unknown>) => [...m.keys()].sort();

test("the sweep schema offers every built-in system, model and part id as an enum", () => {
  const cat = loadCatalog();
  const systemsItem = schema.properties.systems.items.anyOf[0];
  assert.equal(enumOf(systemsItem), sorted(cat.systems));
  assert.equal(enumOf(schema.properties.ps_system), sorted(cat.systems));
  assert.equal(enumOf(schema.properties.models.items.anyOf[0].properties.preset), sorted(cat.models));
  const compose = schema.properties.systems.items.anyOf[1].properties.compose.properties;
  assert.equal(enumOf(compose.accelerator), sorted(cat.accelerators));
  assert.equal(enumOf(compose.host_cpu), sorted(cat.cpus));
  assert.equal(enumOf(compose.fabric), sorted(cat.links));
  assert.equal(enumOf(compose.nic), sorted(cat.nics));
  const providers = cat.tco.get("default-tco")!.cloud_providers!.map((p) => p.id);
  assert.equal(enumOf(schema.properties.cost.properties.cloud_provider), providers.sort());
  // the catalog schema too: a user's system names built-in parts with completion
  const system = catalogSchema.properties.systems.items.properties;
  assert.equal(enumOf(system.accelerator), sorted(cat.accelerators));
});

test("ids from a --catalog folder still validate against the committed schemas and run", () => {
  const ajv = new Ajv2020({ ...AJV_OPTIONS });
  const validate = ajv.compile(schema);
  const spec = {
    schemaVersion: 1,
    name: "mine",
    systems: ["my-box"],
    nodes: [1, 2],
    placements: ["hbm-table-wise"],
    models: [{ preset: "dlrm-paper-sample" }],
    training: { batch_size: [4096] },
  };
  assert.ok(validate(spec), JSON.stringify(validate.errors));
  assert.not.ok(validate({ ...spec, systems: ["My Box"] }), "the pattern still refuses a malformed id");
  const dir = join(tempDir(), "cat");
  mkdirSync(dir);
  const box = { ...loadCatalog().systems.get("dgx-h100")!, id: "my-box", name: "My box" };
  const catalogFile = { systems: [box] };
  assert.ok(ajv.compile(catalogSchema)(catalogFile), "a user catalog file validates");
  writeFileSync(join(dir, "systems.json"), JSON.stringify(catalogFile, null, 2));
  const file = join(tempDir(), "mine.yaml");
  writeFileSync(file, JSON.stringify(spec));
  const r = cli(["check", file, "--catalog", dir]);
  assert.is(r.code, 0, r.stderr);
  const unknown = cli(["check", file]);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, "systems[0]: unknown system id 'my-box'");
});

test("filling in the schema's defaults gives the same plan as leaving the fields out", () => {
  const minimal = {
    schemaVersion: 1,
    name: "defaults",
    systems: ["dgx-h100", "cpu-skylake-2s"],
    nodes: { from: 1, to: 64, scale: "log" },
    placements: ["hbm-table-wise", "remote-ps"],
    models: [{ preset: "dlrm-mlperf-v1" }],
    training: { batch_size: [8192] },
    cost: {},
    output: {},
  };
  const filled = structuredClone(minimal) as Record<string, unknown>;
  const ajv = new Ajv2020({ ...AJV_OPTIONS, useDefaults: true });
  assert.ok(ajv.compile(schema)(filled));
  // the defaults the schema states, filled in
  assert.equal(filled.objectives, ["samples_per_joule", "samples_per_usd"]);
  assert.equal(filled.ps_nodes, [2]);
  assert.is(filled.ps_system, "ps-node");
  assert.equal(filled.training, {
    batch_size: [8192],
    precision: ["fp16"],
    software: "vendor-default",
    data_loading: "local",
  });
  assert.equal(filled.cost, {
    basis: "capital",
    electricity_usd_per_kwh: 0.0826,
    pue: 1.25,
    amortization_years: 5,
    cloud_provider: "aws",
  });
  assert.equal(filled.output, { points_csv: true, report: true, points_parquet: false });
  // inside a union (a range's steps) ajv applies no default; the editor still shows it
  const range = schema.properties.nodes.anyOf.find((b: { type: string }) => b.type === "object");
  assert.is(range.properties.steps.default, 5);
  const dir = tempDir();
  const planOf = (spec: object, name: string) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(spec));
    const { spec: _s, specHash: _h, ...plan } = loadSpec(file).plan;
    return plan;
  };
  assert.equal(planOf(filled, "filled.json"), planOf(minimal, "minimal.json"));
});

test.run();
