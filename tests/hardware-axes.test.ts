import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../src/input/errors.ts";
import { loadCatalog } from "../src/catalog/load.ts";
import { buildNodeModel } from "../src/model/node.ts";
import { INFEASIBLE_REASONS } from "../src/model/result.ts";
import { totalPoints } from "../src/space/space.ts";
import { buildProblem, pcieLanesNeeded } from "../src/spec/buildable.ts";
import { systemParts } from "../src/catalog/systems.ts";
import { loadSpec } from "../src/spec/resolve.ts";
import { expandAxis } from "../src/spec/axes.ts";
import { specPoints } from "../src/spec/size.ts";
import { cli, problemsOf, ROOT, tempDir } from "./helpers.ts";

const COMPOSE = `
  - id: mine
    compose:
      accelerator: [h100-sxm5-80gb, a100-sxm4-80gb]
      accelerators_per_node: [4, 8]
      fabric: [nvswitch3, nvswitch2]
      host_link: pcie5-x16
      host_cpu: xeon-platinum-8480c
      cpu_sockets: 2
      host_memory_gb: {from: 1024, to: 2048, scale: pow2}
      nic: cx7-ndr-400
      nics_per_node: [4, 8]`;

function specFile(systems: string, extra = ""): string {
  const file = join(tempDir(), "hw.yaml");
  writeFileSync(
    file,
    `schemaVersion: 1\nname: hw\nsystems:${systems}\nnodes: [1, 2]\nplacements: [hbm-table-wise, host-dram]\n` +
      `models: [{preset: dlrm-mlperf-v1}]\ntraining: {batch_size: [65536], precision: [fp16]}\n${extra}`,
  );
  return file;
}

test("a compose with lists and ranges expands to the product of its node designs, each with a readable id", () => {
  const { plan } = loadSpec(specFile(COMPOSE));
  assert.is(plan.systems.length, 2 * 2 * 2 * 2 * 2);
  const ids = plan.systems.map((s) => s.id);
  assert.is(new Set(ids).size, ids.length);
  assert.ok(ids.includes("8xh100-sxm5-nvswitch3-2x8480c-2048g-8xcx7"), ids.join(" "));
  assert.ok(ids.includes("4xa100-sxm4-80gb-nvswitch2-2x8480c-1024g-4xcx7"), ids.join(" "));
  const design = plan.systems[ids.indexOf("8xh100-sxm5-nvswitch3-2x8480c-2048g-8xcx7")]!;
  assert.is(design.accelerator!.id, "h100-sxm5-80gb");
  assert.is(design.host_memory_gb, 2048);
  assert.is(design.nics_per_node, 8);
});

test("a compose without lists keeps the id the user gave it, and a catalog id stays as written", () => {
  const one = `\n  - dgx-h100\n  - {id: my-node, compose: {accelerator: h100-sxm5-80gb, accelerators_per_node: 8,
      fabric: nvswitch3,
      host_cpu: xeon-platinum-8480c, cpu_sockets: 2, host_memory_gb: 2048, nic: cx7-ndr-400, nics_per_node: 8}}`;
  const { plan } = loadSpec(specFile(one));
  assert.equal(
    plan.systems.map((s) => s.id),
    ["dgx-h100", "my-node"],
  );
  assert.equal(plan.refused, [0, 0]);
});

test("the design-space size is computed from the spec before node designs are expanded, and limits the run", () => {
  const file = specFile(COMPOSE);
  const { plan } = loadSpec(file);
  assert.is(specPoints(plan.spec), totalPoints(plan));
  // 32 designs x 1000 node counts x 2 placements x 10000 batch sizes x 2 precisions: refused without --force
  const huge = readFileSync(file, "utf8")
    .replace("nodes: [1, 2]", "nodes: {from: 1, to: 1000, steps: 1000, scale: linear}")
    .replace("batch_size: [65536]", "batch_size: {from: 1024, to: 1048576, steps: 10000, scale: log}")
    .replace("precision: [fp16]", "precision: [fp16, fp32]");
  const hugeFile = join(tempDir(), "huge.yaml");
  writeFileSync(hugeFile, huge);
  try {
    loadSpec(hugeFile);
    assert.unreachable("expected the size limit");
  } catch (e) {
    assert.instance(e, InputError);
    const batches = expandAxis({ from: 1024, to: 1048576, steps: 10000, scale: "log" }, true).length;
    const points = 32 * 1000 * 2 * batches * 2;
    assert.ok(points > 1e9, `${points}`);
    assert.match((e as InputError).problems.join("\n"), `the sweep has ${points} points`);
  }
});

test("a part of the user's own catalog fits a built-in fabric with a note, and runs on the default stack", () => {
  // the README's own example: a future GPU from --catalog, composed on an NVSwitch board that lists today's parts
  const dir = tempDir();
  writeFileSync(
    join(dir, "future.yaml"),
    "accelerators:\n  - id: future-gpu\n    name: Next-generation accelerator\n    memory_capacity_gb: 288\n" +
      "    memory_bandwidth_gb_per_s: 8000\n    peak_tflops_fp16_bf16: 2500\n    host_link_gb_per_s_per_direction: 64\n" +
      '    tdp_w: 1200\n    idle_w: 150\n    price_usd: 45000\n    sources: [{ ref: "vendor briefing", supports: "all" }]\n',
  );
  const systems = `
  - id: future
    compose: {accelerator: future-gpu, accelerators_per_node: 8, fabric: nvswitch3, host_cpu: xeon-platinum-8480c,
              cpu_sockets: 2, host_memory_gb: 2048, nic: cx7-ndr-400, nics_per_node: 8}`;
  const { plan } = loadSpec(specFile(systems), dir);
  assert.equal(plan.refused, [0]);
  assert.match(plan.notes!.join("\n"), /'future-gpu' \(from --catalog\) is not among the accelerators 'nvswitch3'/);
  assert.match(
    plan.notes!.join("\n"),
    /'future-gpu' \("Next-generation accelerator"\) names no vendor the catalog knows/,
  );
  const out = join(tempDir(), "run");
  const r = cli(["run", specFile(systems), "--catalog", dir, "--out", out, "--quiet"]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /note: systems: 'future-gpu' \(from --catalog\)/);
  assert.ok(readFileSync(join(out, "frontier.csv"), "utf8").split("\n").length > 2, "a feasible frontier");
  // a built-in part the fabric does not list stays refused
  const a100 = systems.replace("future-gpu", "a100-sxm4-80gb");
  assert.equal(loadSpec(specFile(a100)).plan.refused, [INFEASIBLE_REASONS.indexOf("fabric-unsupported")]);
});

test("a system of the user's own catalog is held to the buildability checks of a composed node", () => {
  const dir = tempDir();
  const builtIn = JSON.parse(readFileSync(join(ROOT, "hardware", "systems.json"), "utf8")).systems as Array<
    Record<string, unknown>
  >;
  const dgx = builtIn.find((s) => s.id === "dgx-h100")!;
  writeFileSync(
    join(dir, "systems.json"),
    JSON.stringify({
      systems: [
        { ...dgx, id: "too-many-gpus", accelerators_per_node: 64, fabric: "pcie3-x16" },
        { ...dgx, id: "my-dgx" },
      ],
    }),
  );
  const file = join(tempDir(), "own.yaml");
  writeFileSync(
    file,
    "schemaVersion: 1\nname: own\nsystems: [too-many-gpus, my-dgx, dgx-h100]\nnodes: [1]\n" +
      "placements: [hbm-table-wise]\nmodels: [{ preset: deeprecsys-rmc1 }]\ntraining: { batch_size: [65536] }\n",
  );
  assert.equal(loadSpec(file, dir).plan.refused, [INFEASIBLE_REASONS.indexOf("pcie-lanes"), 0, 0]);
});

test("two expansions that give the same node are scored once, with a note in run-info.json", () => {
  const twice = `${COMPOSE}\n${COMPOSE.replace("id: mine", "id: again")}`;
  const file = specFile(twice, "output: {points_csv: false, report: false}\n");
  const { plan } = loadSpec(file);
  assert.is(plan.systems.length, 32);
  assert.match(plan.notes!.join("\n"), /32 duplicate node designs in all, each scored once/);
  const out = join(tempDir(), "run");
  const r = cli(["run", file, "--out", out, "--quiet", "--workers", "1"]);
  assert.is(r.code, 0, r.stderr);
  const info = JSON.parse(readFileSync(join(out, "run-info.json"), "utf8")) as { notes: string[] };
  assert.match(info.notes.join("\n"), /is the same node as '8xh100-sxm5-nvswitch3-2x8480c-2048g-8xcx7'; scored once/);
});

test("node designs that cannot be built are refused per point with typed reasons counted in infeasible.csv", () => {
  const bad = `
  - id: bad
    compose:
      accelerator: [h100-sxm5-80gb, a100-pcie-80gb]
      accelerators_per_node: [8, 16]
      fabric: [nvswitch3, pcie4-x16]
      host_cpu: xeon-gold-6138
      cpu_sockets: 2
      host_memory_gb: [768, 4096]
      nic: cx7-ndr-400
      nics_per_node: 8
      max_power_w: [6000, 20000]`;
  const file = specFile(bad, "output: {points_csv: false, report: false}\n");
  const { plan } = loadSpec(file);
  const reasons = new Set(plan.refused!.map((c) => INFEASIBLE_REASONS[c]));
  for (const r of ["fabric-unsupported", "memory-over-cpu-max", "pcie-lanes"]) assert.ok(reasons.has(r as never), r);
  const out = join(tempDir(), "run");
  const r = cli(["run", file, "--out", out, "--quiet", "--workers", "1"]);
  assert.is(r.code, 0, r.stderr);
  const csv = readFileSync(join(out, "infeasible.csv"), "utf8");
  for (const reason of ["fabric-unsupported", "memory-over-cpu-max", "pcie-lanes"])
    assert.match(csv, new RegExp(`^${reason},\\d+,"?composed node`, "m"));
});

test("a node's peak power above its max_power_w refuses it; at or below, it is built", () => {
  const cat = loadCatalog();
  const tco = cat.tco.get("default-tco")!;
  const dgx = cat.systems.get("dgx-h100")!;
  const parts = systemParts(cat, "dgx-h100", dgx);
  const node = buildNodeModel(parts, tco);
  const at = (w: number) => INFEASIBLE_REASONS[buildProblem(parts, node, w, tco.chassis_overhead_fraction, (id) => id)];
  assert.is(at(10200), "");
  assert.is(at(3000), "node-power-over-max");
  assert.is(pcieLanesNeeded(parts), 8 * 16);
});

test("every GPU system of the catalog passes the fabric and memory checks of composed nodes", () => {
  const cat = loadCatalog();
  const tco = cat.tco.get("default-tco")!;
  for (const [id, s] of cat.systems) {
    const parts = systemParts(cat, id, s);
    const code = buildProblem(
      parts,
      buildNodeModel(parts, tco),
      s.max_power_w,
      tco.chassis_overhead_fraction,
      (x) => x,
    );
    // dgx-2h's two-level PCIe switch tree is beyond the one-level lane rule (docs/hardware-axes.md)
    if (id !== "dgx-2h") assert.is(INFEASIBLE_REASONS[code], "", id);
  }
});

test("misnamed parts in a compose list are reported with their position and the valid ids", () => {
  const problems = problemsOf(specFile(COMPOSE.replace("a100-sxm4-80gb]", "b300-sxm]")));
  assert.match(problems.join("\n"), /systems\[0\]\.compose\.accelerator: unknown accelerators id 'b300-sxm'/);
});

test.run();
