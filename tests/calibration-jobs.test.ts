// How measurement rows of the newer parts (B200, GB200 NVL72, H200/H100 NVL, T4) become model jobs (calibrate/job.ts).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { calibrationContext } from "../src/calibrate/context.ts";
import { fabricFor, resolveRow } from "../src/calibrate/job.ts";
import { type MeasurementRow, readMeasurements } from "../src/calibrate/measurements.ts";
import { MEASUREMENTS_FILE } from "../src/paths.ts";

const ctx = calibrationContext();
const rows = readMeasurements(MEASUREMENTS_FILE);
const row = (id: string, change: Partial<MeasurementRow> = {}): MeasurementRow => {
  const r = rows.find((x) => x.id === id);
  if (!r) throw new Error(`row ${id} is not in ${MEASUREMENTS_FILE}`);
  return { ...r, ...change };
};
const job = (r: MeasurementRow) => {
  const out = resolveRow(r, ctx.cat, []);
  if (!("job" in out)) throw new Error(`row ${r.id} is unresolved: ${out.unresolved}`);
  return out.job;
};

test("an NVSwitch row of B200s runs on the NVLink 5 switch of an 8-GPU board, a GB200 row on the NVL72 fabric", () => {
  const b200 = job(row("N135"));
  assert.is(b200.parts.fabric.id, "nvlink5-nvswitch-8gpu");
  assert.is(b200.parts.fabric.gb_per_s_per_direction, 900);
  assert.is(fabricFor(row("N137"), "gb200-186gb", undefined), "nvlink5-nvl72");
});

test("a B200 row that names no host CPU gets the DGX B200's Xeon Platinum 8570", () => {
  const j = job(row("N135", { host_cpu: "" }));
  assert.is(j.parts.cpu.id, "xeon-platinum-8570");
  assert.equal(j.assumed, []);
});

test("GB200 rows spanning several trays of one NVL72 rack resolve onto the rack's NVLink domain (N6)", () => {
  for (const id of ["N137", "N139", "N143"]) {
    const j = job(row(id));
    assert.is(j.parts.fabric.id, "nvlink5-nvl72", id);
    assert.is(j.parts.fabric.domain_devices, 72, id);
    assert.is(j.parts.cpu.id, "neoverse-v2", id);
  }
});

test("NVL cards with bridges map to their NVLink bridge, and without to the PCIe generation of the card", () => {
  assert.is(
    fabricFor(row("N125", { intra_node_fabric: "nvlink-direct" }), "h200-nvl-141gb", "pcie5-x16"),
    "nvlink4-bridge-h200-nvl",
  );
  assert.is(
    fabricFor(row("N125", { intra_node_fabric: "nvlink-direct" }), "h100-nvl-94gb", "pcie5-x16"),
    "nvlink4-bridge-h100-nvl",
  );
  assert.is(job(row("N125")).parts.fabric.id, "nvlink4-bridge-h200-nvl"); // the row is taken as bridged (its notes)
  assert.is(job(row("N125", { intra_node_fabric: "pcie" })).parts.fabric.id, "pcie5-x16");
  assert.is(job(row("N009")).parts.fabric.id, "pcie3-x16");
});

test("every fabric a new part maps to admits that part and the rows' GPU count (buildability limits)", () => {
  const cases: Array<[string, string, number]> = [
    ["nvlink5-nvswitch-8gpu", "b200-sxm-180gb", 8],
    ["nvlink5-nvl72", "gb200-186gb", 4],
    ["nvlink4-bridge-h200-nvl", "h200-nvl-141gb", 4],
    ["nvlink4-bridge-h100-nvl", "h100-nvl-94gb", 2],
  ];
  for (const [link, acc, count] of cases) {
    const l = ctx.cat.links.get(link);
    assert.ok(l, `${link} is in the catalog`);
    assert.ok(ctx.cat.accelerators.get(acc), `${acc} is in the catalog`);
    assert.ok(l!.accelerators?.includes(acc), `${link} connects ${acc}`);
    assert.ok((l!.max_devices ?? Infinity) >= count, `${link} takes ${count} devices`);
  }
  assert.not.ok(ctx.cat.links.get("nvlink4-bridge-h100-nvl")!.max_devices! > 2, "H100 NVL bridges join pairs only");
});
test.run();
