import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, FIXTURES, ROOT, tempDir } from "./helpers.ts";

test("recsweep run writes a complete run folder from another working directory", () => {
  const out = join(tempDir(), "run");
  const r = cli(["run", join(FIXTURES, "tiny.yaml"), "--out", out, "--quiet"]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /recsweep run tiny: 192 points scored, \d+ feasible, \d+ on the frontier/);
  assert.match(r.stdout, /\n {4}samples per joule: big-basin-v100, .* samples\/J/);
  for (const f of ["frontier.csv", "points.csv", "infeasible.csv", "manifest.json", "run-info.json"])
    assert.ok(existsSync(join(out, f)), f);
  const header = readFileSync(join(out, "frontier.csv"), "utf8").split("\n")[0]!.split(",");
  for (const c of [
    "model",
    "embedding_dim",
    "embedding_placement",
    "throughput_samples_per_s",
    "power_w",
    "cost_usd_per_hour",
    "samples_per_joule",
    "samples_per_usd",
    "t_compute_s",
    "t_alltoall_s",
    "bottleneck",
  ])
    assert.ok(header.includes(c), c);
  const manifest = readFileSync(join(out, "manifest.json"), "utf8");
  assert.not.match(manifest, /"seconds"|"host"|"started_at"|"cpus"/);
  assert.equal(
    readdirSync(join(out, "..")).filter((f) => f.includes("recsweep-tmp")),
    [],
  );
});

test("when points with identical results share frontier.csv rows, run and the report say how many rows there are", () => {
  const out = join(tempDir(), "default");
  const r = cli(["run", join(ROOT, "sweeps", "default.yaml"), "--out", out]);
  assert.is(r.code, 0, r.stderr);
  const rows = readFileSync(join(out, "frontier.csv"), "utf8").trim().split("\n").length - 1;
  const m = /(\d+) on the frontier, (\d+) distinct results in frontier\.csv/.exec(r.stdout);
  assert.ok(m, r.stdout.split("\n")[0]);
  assert.is(Number(m![2]), rows);
  assert.ok(rows < Number(m![1]));
  assert.match(readFileSync(join(out, "report.html"), "utf8"), `${m![1]} on the frontier (${rows} distinct results)`);
});

test("two runs of the same spec write byte-identical outputs", () => {
  const a = join(tempDir(), "a"),
    b = join(tempDir(), "b");
  assert.is(cli(["run", join(FIXTURES, "tiny.yaml"), "--out", a, "--quiet"]).code, 0);
  assert.is(cli(["run", join(FIXTURES, "tiny.yaml"), "--out", b, "--quiet", "--workers", "2"]).code, 0);
  for (const f of ["frontier.csv", "points.csv", "infeasible.csv", "manifest.json"])
    assert.is(readFileSync(join(a, f), "utf8"), readFileSync(join(b, f), "utf8"), f);
});

test("a sweep scored on worker threads writes the same bytes as one scored inline, points.csv included", () => {
  const spec = join(FIXTURES, "medium.yaml"); // above the inline threshold: the worker threads score and format its points
  const a = join(tempDir(), "a"),
    b = join(tempDir(), "b");
  assert.is(cli(["run", spec, "--out", a, "--quiet", "--workers", "1"]).code, 0);
  assert.is(cli(["run", spec, "--out", b, "--quiet", "--workers", "3"]).code, 0);
  for (const f of ["frontier.csv", "points.csv", "sample.csv", "sensitivity.csv", "infeasible.csv", "manifest.json"]) {
    assert.ok(readFileSync(join(a, f), "utf8") === readFileSync(join(b, f), "utf8"), f);
  }
  assert.is(JSON.parse(readFileSync(join(b, "run-info.json"), "utf8")).workers, 3);
});

test("recsweep check on a bad spec exits 2 with every problem and no stack trace", () => {
  const r = cli(["check", join(FIXTURES, "bad-three.yaml")]);
  assert.is(r.code, 2);
  assert.is(r.stderr.trim().split("\n").length, 3);
  assert.match(r.stderr, /bad-three\.yaml:10:3: training\.colour: unknown key/);
  assert.match(r.stderr, /bad-three\.yaml:9:16: training\.batch_size\[0\]: wrong type/);
  assert.match(r.stderr, /bad-three\.yaml:3:27: systems\[1\]: unknown system id 'dgx-9000'/);
  assert.not.match(r.stderr, /\n\s+at /);
});

test("a bad run writes no output folder", () => {
  const out = join(tempDir(), "never");
  const r = cli(["run", join(FIXTURES, "bad-three.yaml"), "--out", out]);
  assert.is(r.code, 2);
  assert.not.ok(existsSync(out));
});

test("recsweep catalog --json lists ids as JSON strings", () => {
  const r = cli(["catalog", "--json"]);
  assert.is(r.code, 0);
  const listing = JSON.parse(r.stdout) as Record<string, string[]>;
  assert.ok(listing.accelerators!.includes("h100-sxm5-80gb"));
  assert.ok(listing.cpus!.includes("xeon-platinum-8460y+"));
  assert.ok(listing.models!.includes("dlrm-paper-sample"));
});

test("every command answers --help, and unknown commands and options exit 2", () => {
  for (const c of ["run", "check", "catalog", "calibrate", "validate", "merge", "report", "explain"]) {
    const r = cli([c, "--help"]);
    assert.is(r.code, 0, c);
    assert.match(r.stdout, new RegExp(`usage: recsweep ${c}`));
  }
  assert.is(cli(["frobnicate"]).code, 2);
  assert.is(cli(["run", "--bogus"]).code, 2);
});

test("recsweep explain prints a point's breakdown and why it is or is not on the frontier", () => {
  const out = join(tempDir(), "run");
  assert.is(cli(["run", join(FIXTURES, "tiny.yaml"), "--out", out, "--quiet"]).code, 0);
  const frontierIndex = readFileSync(join(out, "frontier.csv"), "utf8").split("\n")[1]!.split(",")[0]!;
  const on = cli(["explain", out, frontierIndex]);
  assert.is(on.code, 0, on.stderr);
  assert.match(on.stdout, /time line \(critical path\):/);
  assert.match(on.stdout, /power: [\d.]+ W for the job/);
  assert.match(on.stdout, /on the frontier of /);
  const points = readFileSync(join(out, "points.csv"), "utf8")
    .split("\n")
    .slice(1)
    .filter(Boolean)
    .map((l) => l.split(",")[0]!);
  const dominated = points.find((i) => !readFileSync(join(out, "frontier.csv"), "utf8").includes(`\n${i},`))!;
  assert.match(
    cli(["explain", out, dominated]).stdout,
    /not on the frontier: point \d+ .* is at least as good on every objective/,
  );
  assert.match(on.stdout, /global batch \d+ \([\d.]+ per device\)/);
  const infeasible = [...Array(192).keys()].map(String).find((i) => !points.includes(i))!;
  const why = cli(["explain", out, infeasible]).stdout;
  assert.match(why, /\ninfeasible: [a-z-]+: /);
  assert.match(why, /global batch \d+, /, "no per-device batch where the point was rejected before computing it");
  assert.is(cli(["explain", out, "999999"]).code, 2);
});

test("recsweep report rebuilds report.html from a run folder", () => {
  const out = join(tempDir(), "run");
  assert.is(cli(["run", join(FIXTURES, "tiny.yaml"), "--out", out, "--quiet"]).code, 0);
  const before = readFileSync(join(out, "report.html"), "utf8");
  const r = cli(["report", out]);
  assert.is(r.code, 0, r.stderr);
  assert.is(readFileSync(join(out, "report.html"), "utf8"), before);
  assert.is(cli(["report", tempDir()]).code, 2);
});

test("recsweep explain of a run made with --catalog asks for that catalog", () => {
  const dir = tempDir();
  writeFileSync(
    join(dir, "nic.yaml"),
    "nics:\n  - { id: my-nic, name: n, line_rate_gbit_per_s: 100, active_w: 10, idle_w: 2, sources: [{ ref: r, supports: s }] }\n",
  );
  const out = join(tempDir(), "run");
  assert.is(cli(["run", join(FIXTURES, "tiny.yaml"), "--catalog", dir, "--out", out, "--quiet"]).code, 0);
  const r = cli(["explain", out, "0"]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /was run with a user catalog \(sha256 [0-9a-f]{12}…\) \(expected the same --catalog DIR/);
  assert.is(cli(["explain", out, "0", "--catalog", dir]).code, 0);
});

test("recsweep report refuses a folder recsweep did not write, and a damaged frontier.csv, touching nothing", () => {
  const dir = tempDir();
  for (const f of ["manifest.json", "spec.json"]) writeFileSync(join(dir, f), "{}");
  writeFileSync(join(dir, "frontier.csv"), "x\n");
  writeFileSync(join(dir, "report.html"), "<html>mine</html>");
  const r = cli(["report", dir]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /manifest\.json: not a manifest written by recsweep/);
  assert.is(readFileSync(join(dir, "report.html"), "utf8"), "<html>mine</html>");
  const out = join(tempDir(), "run");
  assert.is(cli(["run", join(FIXTURES, "tiny.yaml"), "--out", out, "--quiet"]).code, 0);
  const before = readFileSync(join(out, "report.html"), "utf8");
  writeFileSync(join(out, "frontier.csv"), "a,b\n");
  const damaged = cli(["report", out]);
  assert.is(damaged.code, 2);
  assert.match(damaged.stderr, /frontier\.csv:1: header lacks column\(s\) workload, system/);
  assert.is(readFileSync(join(out, "report.html"), "utf8"), before);
});

test("recsweep calibrate refuses data with no predictable row and a bad --bootstrap, writing nothing", () => {
  const dir = tempDir();
  const header = readFileSync(join(ROOT, "hardware", "measurements", "measurements.csv"), "utf8").split(/\r?\n/)[0]!;
  writeFileSync(join(dir, "header.csv"), `${header}\n`);
  const out = join(dir, "fit.json");
  const empty = cli(["calibrate", "--data", join(dir, "header.csv"), "--out", out]);
  assert.is(empty.code, 2, empty.stderr);
  assert.match(empty.stderr, /header\.csv: no row the model can predict/);
  const bad = cli(["calibrate", "--bootstrap", "abc", "--out", out]);
  assert.is(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /--bootstrap: 'abc' \(expected a whole number of draws, 0 to 1000\)/);
  assert.not.ok(existsSync(out));
});

test.run();
