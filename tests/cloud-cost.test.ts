import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { buildScoringContext } from "../src/engine/context.ts";
import { placementName, precisionName, scorePoint } from "../src/model/score-point.ts";
import { unpricedSystems } from "../src/spec/cloud.ts";
import type { Plan } from "../src/spec/plan.ts";
import { loadSpec } from "../src/spec/resolve.ts";
import { cli, ROOT, tempDir } from "./helpers.ts";

const TCO = JSON.parse(readFileSync(join(ROOT, "hardware", "tco.json"), "utf8")).tco[0];
const rate = (provider: string, accelerator: string): number =>
  TCO.cloud_providers
    .find((p: { id: string }) => p.id === provider)
    .rates.find((r: { accelerator?: string }) => r.accelerator === accelerator).usd_per_accelerator_hour;

function specFile(body: string): string {
  const file = join(tempDir(), "spec.yaml");
  writeFileSync(file, `schemaVersion: 1\nname: cloud\n${body}`);
  return file;
}

/** Scores the first workload, batch and precision at system s, node count n and placement variant pl. */
function score(plan: Plan, s: number, n: number, pl: number) {
  const ctx = buildScoringContext(plan);
  return scorePoint({
    node: ctx.nodes[s]!,
    workload: ctx.workload(0),
    tiers: ctx.tiers(0, s, n),
    nodes: ctx.nodeCounts[n]!,
    placement: placementName(ctx.placementOf[pl]!),
    psNodes: ctx.psNodesOf[pl]!,
    batch: ctx.batchOf[0]!,
    precision: precisionName(ctx.precisionOf[0]!),
    env: ctx.env,
    params: ctx.params,
  });
}

const BASE = `models: [{ preset: deeprecsys-rmc3 }]\ntraining: { batch_size: [16384], precision: [fp16] }\n`;

test("a DGX H100 job on AWS costs nodes x 8 GPUs x the p5 rate per GPU-hour, checked by hand", () => {
  const { plan } = loadSpec(
    specFile(`systems: [dgx-h100]\nnodes: [2]\nplacements: [hbm-table-wise]\n${BASE}cost: { basis: cloud }\n`),
  );
  const p = score(plan, 0, 0, 0);
  assert.ok(p.feasible, p.reason ?? "");
  const byHand = 2 * 8 * 6.88; // 2 nodes x 8 H100 x 6.88 USD per GPU-hour (p5.48xlarge 55.04 USD/h / 8)
  assert.is(rate("aws", "h100-sxm5-80gb"), 6.88);
  assert.ok(Math.abs(p.cost_usd_per_hour - byHand) < 1e-9, `${p.cost_usd_per_hour} vs ${byHand}`);
  assert.ok(Math.abs(p.samples_per_usd - (p.throughput_samples_per_s * 3600) / byHand) < 1e-6 * p.samples_per_usd);
  assert.is(plan.cloudProvider, "aws on-demand (us-east-1)");
});

test("the chosen provider prices every node: the same point on Lambda uses Lambda's H100 rate, never AWS's", () => {
  const { plan } = loadSpec(
    specFile(
      `systems: [dgx-h100]\nnodes: [1]\nplacements: [hbm-table-wise]\n${BASE}cost: { basis: cloud, cloud_provider: lambda }\n`,
    ),
  );
  assert.ok(Math.abs(score(plan, 0, 0, 0).cost_usd_per_hour - 8 * rate("lambda", "h100-sxm5-80gb")) < 1e-9);
});

test("a composed node's own cloud_usd_per_node_hour prices it, and the parameter-server node stays out of its cost", () => {
  const composed = `{ id: my-node, compose: { accelerator: h100-sxm5-80gb, accelerators_per_node: 8, fabric: nvswitch3, host_cpu: xeon-platinum-8480+, cpu_sockets: 2, host_memory_gb: 2048, nic: cx7-ndr-400, nics_per_node: 8, cloud_usd_per_node_hour: 50 } }`;
  const { plan } = loadSpec(
    specFile(`systems: [${composed}]\nnodes: [3]\nplacements: [hbm-table-wise]\n${BASE}cost: { basis: cloud }\n`),
  );
  const p = score(plan, 0, 0, 0);
  assert.ok(p.feasible, p.reason ?? "");
  assert.is(p.cost_usd_per_hour, 150);
});

test("remote-ps on a provider without a rate for the parameter-server node is no-price, and check names that node", () => {
  const { plan } = loadSpec(
    specFile(
      `systems: [dgx-h100]\nnodes: [1]\nplacements: [remote-ps]\nps_nodes: [2]\n${BASE}cost: { basis: cloud }\n`,
    ),
  );
  assert.is(score(plan, 0, 0, 0).reason, "no-price");
  assert.equal(unpricedSystems(plan), [{ id: "ps-node", role: "parameter servers and readers" }]);
});

test("cost basis cloud on the default sweep gives feasible points for every system with a rate", () => {
  const spec = readFileSync(join(ROOT, "sweeps", "default.yaml"), "utf8").replace("basis: capital", "basis: cloud");
  const file = join(tempDir(), "default-cloud.yaml");
  writeFileSync(file, spec);
  const out = join(tempDir(), "run");
  const check = cli(["check", file]);
  assert.is(check.code, 0, check.stderr);
  assert.match(check.stdout, /cost basis: cloud rates of aws on-demand/);
  assert.match(check.stdout, /no price on this basis: zion-like \(trainer\)/);
  const r = cli(["run", file, "--out", out, "--quiet"]);
  assert.is(r.code, 0, r.stderr);
  const rows = parseCsv(readFileSync(join(out, "points.csv"), "utf8"), { columns: true }) as Record<string, string>[];
  const { plan } = loadSpec(file);
  const unpriced = new Set(unpricedSystems(plan).map((u) => u.id));
  for (const s of plan.systems.map((x) => x.id).filter((id) => !unpriced.has(id)))
    assert.ok(
      rows.some((row) => row.system === s),
      `${s} has a rate but no feasible point`,
    );
  assert.ok(rows.every((row) => Number(row.cost_usd_per_hour) > 0));
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  assert.is(manifest.cloud_provider, "aws on-demand (us-east-1)");
});

test.run();
