// Diagnoses that name the cause, and exit 2 for every user mistake: a model fault (NaN or infinity) names its term,
// never no-price; measurement files name row, column and physical line of each bad field; a corrupt checkpoint,
// a corrupt shard, explain on a folder that is not a run or with a foreign spec.json, and `explain DIR ""` are user
// errors with a message, never internal errors; messages stay within 25 lines.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MEASUREMENT_COLUMNS, parseMeasurements } from "../src/calibrate/measurements.ts";
import { InputError } from "../src/input/errors.ts";
import { cli, FIXTURES, tempDir } from "./helpers.ts";

const TINY = join(FIXTURES, "tiny.yaml");

test("a fabric with zero bandwidth is a model fault naming the all-to-all term, not no-price", () => {
  const dir = tempDir();
  mkdirSync(join(dir, "cat"));
  writeFileSync(
    join(dir, "cat", "links.yaml"),
    "links:\n  - id: dead-fabric\n    name: zero bandwidth\n    kind: nvswitch\n    gb_per_s_per_direction: 0\n    sources: [{ ref: test, supports: all figures }]\n",
  );
  writeFileSync(
    join(dir, "z.yaml"),
    `schemaVersion: 1\nname: zero-fabric\nsystems:\n  - id: zero-box\n    compose: { accelerator: h100-sxm5-80gb, accelerators_per_node: 8, fabric: dead-fabric, host_link: pcie5-x16, host_cpu: xeon-platinum-8480c, cpu_sockets: 2, host_memory_gb: 2048, nic: cx7-ndr-400, nics_per_node: 8, price_usd: 300000 }\nnodes: [1, 2]\nplacements: [hbm-table-wise, hbm-row-wise]\nmodels: [{ preset: dlrm-mlperf-v1 }]\ntraining: { batch_size: [65536] }\n`,
  );
  const out = join(dir, "run");
  const r = cli(["run", join(dir, "z.yaml"), "--catalog", join(dir, "cat"), "--out", out, "--quiet"]);
  assert.is(r.code, 0, r.stderr);
  const infeasible = readFileSync(join(out, "infeasible.csv"), "utf8");
  assert.match(
    infeasible,
    /^model-fault-alltoall,4,"model fault: the alltoall time \(t_alltoall_s\) came out NaN or infinite/m,
  );
  assert.not.match(infeasible, /no-price/);
  const e = cli(["explain", out, "1", "--catalog", join(dir, "cat")]);
  assert.is(e.code, 0, e.stderr);
  assert.match(e.stdout, /infeasible: model-fault-alltoall: model fault: the alltoall time/);
});

const HEADER = MEASUREMENT_COLUMNS.join(",");
const GOOD = [
  "M1",
  "high",
  "h100-sxm5-80gb",
  "8",
  "xeon-platinum-8480c",
  "2",
  "2048",
  "nvswitch",
  "400",
  "8",
  "1",
  "dlrm-mlperf-v1",
  "65536",
  "fp16",
  "hbm",
  "hugectr",
  "throughput_samples_per_s",
  "1000000",
  "samples/s",
  "",
  "no",
  "test",
  "",
];
const rowWith = (id: string, over: Record<string, string>) =>
  GOOD.map((v, k) => (k === 0 ? id : (over[MEASUREMENT_COLUMNS[k]!] ?? v)))
    .map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v))
    .join(",");

function problems(text: string): string[] {
  try {
    parseMeasurements("m.csv", text);
  } catch (e) {
    assert.instance(e, InputError);
    return (e as InputError).problems;
  }
  assert.unreachable("accepted");
  return [];
}

test("a good measurement row parses", () => {
  assert.is(parseMeasurements("m.csv", `${HEADER}\n${rowWith("M1", {})}\n`).length, 1);
});

test("measurement fields that are not plain decimals, zero or not numbers are named with row, column and physical line", () => {
  const text = `${[
    HEADER,
    rowWith("M1", { notes: "a note\nthat spans\nthree lines" }), // lines 2-4
    rowWith("M2", { value: "0x10" }), // line 5
    rowWith("M3", { global_batch: "65_536" }), // line 6
    rowWith("M4", { nodes: "0" }), // line 7
    "",
    rowWith("M5", { derived_from: "two\nlines", nics_per_node: "eight" }), // lines 9-10; nics_per_node comes before derived_from
    rowWith("M6", { value: "1,000" }), // line 11
    rowWith("M7", { host_memory_gb: "Infinity" }), // line 12
  ].join("\n")}\n`;
  const p = problems(text);
  assert.equal(p, [
    "m.csv:5: value: '0x10' in row 2 (id M2) is not a plain decimal number (hex, octal and binary are not read) (expected a positive number)",
    "m.csv:6: global_batch: '65_536' in row 3 (id M3) is not a plain decimal number (no digit separators) (expected a whole number of samples, at least 1, or empty for the default)",
    "m.csv:7: nodes: '0' in row 4 (id M4) is zero (expected a whole number of nodes, at least 1 (empty: 1))",
    "m.csv:9: nics_per_node: 'eight' in row 5 (id M5) is not a whole number (expected a whole number of at least 1, or empty for the default)",
    "m.csv:11: value: '1,000' in row 6 (id M6) is not a plain decimal number (no digit separators) (expected a positive number)",
    "m.csv:12: host_memory_gb: 'Infinity' in row 7 (id M7) is not a number (expected a positive number of GB, or empty for the default)",
  ]);
});

test("a field after a multi-line field gets its own physical line", () => {
  const text = `${HEADER}\n${rowWith("M1", { derived_from: "one\ntwo\nthree", value: "abc" })}\n`;
  // value comes before derived_from: line 2; a field after the three-line one, e.g. notes, would be on line 4
  assert.match(problems(text)[0]!, /^m\.csv:2: value: 'abc' in row 1 \(id M1\)/);
  const later = `${HEADER}\n${rowWith("M1", { derived_from: "one\ntwo\nthree", value: "1", id: "" })}\n`.replace(
    /^M1,/m,
    ",",
  );
  assert.match(problems(later)[0]!, /^m\.csv:2: id: empty in row 1/);
});

test("a duplicated measurement column is refused, naming both columns", () => {
  const p = problems(`${HEADER},value\n${GOOD.join(",")},5\n`);
  assert.equal(p, [
    `m.csv:1: column ${MEASUREMENT_COLUMNS.length + 1} 'value': duplicate column, the same name as column ${MEASUREMENT_COLUMNS.indexOf("value") + 1} (expected each column once)`,
  ]);
});

test("recsweep validate on a measurement file with a hex value exits 2 naming the field", () => {
  const f = join(tempDir(), "m.csv");
  writeFileSync(f, `${HEADER}\n${rowWith("M1", { value: "0x1F" })}\n`);
  const r = cli(["validate", f]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /m\.csv:2: value: '0x1F' in row 1 \(id M1\) is not a plain decimal number/);
});

/** A run folder of tiny.yaml in a fresh folder. */
function tinyRun(): string {
  const out = join(tempDir(), "run");
  assert.is(cli(["run", TINY, "--out", out, "--quiet"]).code, 0);
  return out;
}

test("explain on a folder that is not a run folder, or with a corrupt manifest, is exit 2 with a message", () => {
  const empty = tempDir();
  let r = cli(["explain", empty, "0"]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /no manifest\.json \(expected a run folder written by recsweep run\)/);
  const out = tinyRun();
  writeFileSync(join(out, "manifest.json"), "{ not json");
  r = cli(["explain", out, "0"]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /manifest\.json: not valid JSON .*expected the manifest\.json recsweep run writes/);
});

test("explain with a foreign spec.json in the folder is exit 2, not an internal error", () => {
  const out = tinyRun();
  const other = readFileSync(TINY, "utf8").replace("name: tiny", "name: other").replace("nodes: [1, 2]", "nodes: [4]");
  writeFileSync(join(out, "spec.json"), other);
  let r = cli(["explain", out, "3"]);
  assert.is(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /spec\.json: is not the spec this run folder's manifest\.json describes \(spec 'other' vs 'tiny'/,
  );
  writeFileSync(join(out, "spec.json"), JSON.stringify({ hello: "world" }));
  r = cli(["explain", out, "3"]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /spec\.json:1:1: \(top level\): missing required key/);
});

test('explain DIR "" and other non-indices are refused instead of explaining point 0', () => {
  const out = tinyRun();
  for (const bad of ["", " ", "0x1", "1e2", "-1", "1.0", " 3"]) {
    const r = cli(["explain", out, bad]);
    assert.is(r.code, 2, `'${bad}': ${r.stderr}`);
    // "-1" reads as an unknown option; every other one as a bad index
    assert.match(r.stderr, bad === "-1" ? /Unknown option '-1'/ : /is not a point index \(expected a whole number/);
    assert.is(r.stdout, "");
  }
  assert.match(cli(["explain", out, "192"]).stderr, /expected an integer from 0 to 191/);
});

test("a corrupt checkpoint on --resume is exit 2 with a message", () => {
  const dir = tempDir();
  const partial = join(dir, ".run.recsweep-partial-999999-dead");
  mkdirSync(partial);
  writeFileSync(join(partial, "checkpoint.json"), '{"spec_sha256": 42');
  const r = cli(["run", TINY, "--out", join(dir, "run"), "--quiet", "--resume"]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /checkpoint\.json: not valid JSON .*run without --resume to start afresh/);
  assert.equal(readdirSync(dir), [], "no output, lock or staging folder left");
  const r2 = cli(["run", TINY, "--out", join(dir, "run"), "--quiet"]);
  assert.is(r2.code, 0, r2.stderr);
});

test("a corrupt or mismatched shard file on merge is exit 2 naming the file", () => {
  const dir = tempDir();
  for (const k of [0, 1])
    assert.is(cli(["run", TINY, "--shard", `${k}/2`, "--out", join(dir, `s${k}`), "--quiet"]).code, 0);
  const bad = join(dir, "bad");
  cpSync(join(dir, "s1"), bad, { recursive: true });
  writeFileSync(join(bad, "shard.json"), "[1, 2");
  let r = cli(["merge", join(dir, "s0"), bad, "--out", join(dir, "m")]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /bad\/shard\.json: not valid JSON/);
  const state = JSON.parse(readFileSync(join(dir, "s1", "shard.json"), "utf8"));
  writeFileSync(join(bad, "shard.json"), JSON.stringify({ ...state, best: [] }));
  r = cli(["merge", join(dir, "s0"), bad, "--out", join(dir, "m")]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /bad\/shard\.json: best holds 0 entries for 2 systems/);
  writeFileSync(join(bad, "shard.json"), JSON.stringify({ ...state, frontier: [{ index: "x", row: [] }] }));
  r = cli(["merge", join(dir, "s0"), bad, "--out", join(dir, "m")]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /bad\/shard\.json: frontier\[0\]\.index: must be integer/);
  assert.equal(readdirSync(dir).sort(), ["bad", "s0", "s1"]);
});

test("a spec with a hundred problems gives at most 25 lines: the first problems, then 'and N more'", () => {
  const f = join(tempDir(), "many.yaml");
  writeFileSync(
    f,
    `schemaVersion: 1\nname: many\nsystems: [${Array.from({ length: 100 }, (_, i) => `nope-${i}`).join(", ")}]\nnodes: [1]\nplacements: [hbm-table-wise]\nmodels: [{ preset: dlrm-mlperf-v1 }]\ntraining: { batch_size: [1024] }\n`,
  );
  const r = cli(["check", f]);
  assert.is(r.code, 2);
  const lines = r.stderr.trim().split("\n");
  assert.ok(lines.length <= 25, `${lines.length} lines`);
  assert.match(lines[lines.length - 1]!, /^\.\.\. and \d+ more$/);
  assert.match(lines[0]!, /systems\[0\]: unknown system id 'nope-0'/);
});

test.run();
