// Interruptions and failing workers: a killed sweep leaves the previous result or none at the output path, and
// --resume finishes it to the same bytes; a worker that crashes or hangs fails the run cleanly, with no output.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, cliStart, FIXTURES, tempDir } from "./helpers.ts";

const LONG = join(FIXTURES, "long.yaml");
const DETERMINISTIC = [
  "frontier.csv",
  "points.csv",
  "manifest.json",
  "infeasible.csv",
  "sample.csv",
  "sensitivity.csv",
  "calibration.csv",
  "spec.json",
];
const ENV = { RECSWEEP_CHECKPOINT_S: "0.2" };

/** Starts a run; the exit promise is taken at once, so a child that finishes early is never waited for twice. */
function start(args: string[]) {
  const child = cliStart(args, ENV);
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return { child, exited };
}

const reference = join(tempDir(), "reference");
const t0 = Date.now();
const ref = cli(["run", LONG, "--out", reference, "--quiet", "--workers", "1"]);
const referenceMs = Date.now() - t0;

test("the interruption sweep runs long enough to be interrupted", () => {
  assert.is(ref.code, 0, ref.stderr);
  assert.ok(referenceMs > 2500, `took ${referenceMs} ms`);
});

// Random moments in the middle of the run (printed, to reproduce a failure), for each way of stopping a process.
const moment = () => Number((0.2 + 0.45 * Math.random()).toFixed(2));
const stops: Array<[NodeJS.Signals, number]> = [
  ["SIGKILL", moment()],
  ["SIGKILL", moment()],
  ["SIGTERM", moment()],
  ["SIGINT", moment()],
];
console.log(`interruption moments (share of the reference run): ${stops.map(([s, a]) => `${s} ${a}`).join(", ")}`);
for (const [signal, at] of stops) {
  test(`${signal} at ${Math.round(at * 100)}% of a run leaves no output, and --resume finishes it to identical bytes`, async () => {
    const out = join(tempDir(), "run");
    const { child, exited } = start(["run", LONG, "--out", out, "--quiet", "--workers", "1"]);
    await new Promise((r) => setTimeout(r, Math.max(300, at * referenceMs)));
    const interrupted = child.exitCode === null && child.kill(signal);
    await exited;
    // On a loaded machine the run may finish first; then it must simply be complete.
    if (interrupted) assert.not.ok(existsSync(out), "nothing at the output path after the interruption");
    const r = cli(["run", LONG, "--out", out, "--quiet", "--workers", "1", "--resume"]);
    assert.is(r.code, 0, r.stderr);
    for (const f of DETERMINISTIC)
      assert.ok(readFileSync(join(out, f)).equals(readFileSync(join(reference, f))), `${f} differs after resume`);
    assert.equal(
      readdirSync(join(out, "..")).filter((f) => f.startsWith(".")),
      [],
      "no partial folder left",
    );
  });
}

test("--resume with another spec of the same name is refused and keeps the interrupted run for its own resume", async () => {
  const out = join(tempDir(), "run");
  const { child, exited } = start(["run", LONG, "--out", out, "--quiet", "--workers", "1"]);
  await new Promise((r) => setTimeout(r, 0.5 * referenceMs));
  const interrupted = child.exitCode === null && child.kill("SIGKILL");
  await exited;
  if (!interrupted) return; // the run finished first on a loaded machine: nothing to resume
  const other = join(tempDir(), "other.yaml");
  writeFileSync(other, readFileSync(LONG, "utf8").replace("steps: 80", "steps: 79"));
  const r = cli(["run", other, "--out", out, "--quiet", "--workers", "1", "--resume"]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /--resume: the interrupted run there has other inputs/);
  const resumed = cli(["run", LONG, "--out", out, "--quiet", "--workers", "1", "--resume"]);
  assert.is(resumed.code, 0, resumed.stderr);
  for (const f of DETERMINISTIC)
    assert.ok(readFileSync(join(out, f)).equals(readFileSync(join(reference, f))), `${f} differs after resume`);
});

test("a killed re-run keeps the previous complete result at the output path", async () => {
  const out = join(tempDir(), "run");
  assert.is(cli(["run", LONG, "--out", out, "--quiet", "--workers", "1"]).code, 0);
  const before = readFileSync(join(out, "manifest.json"), "utf8");
  const { child, exited } = start(["run", LONG, "--out", out, "--quiet", "--workers", "1"]);
  await new Promise((r) => setTimeout(r, 0.5 * referenceMs));
  child.kill("SIGKILL");
  await exited;
  assert.is(readFileSync(join(out, "manifest.json"), "utf8"), before);
  assert.ok(existsSync(join(out, "report.html")));
});

test("--resume on a complete result exits 0 and changes nothing; without a checkpoint it starts afresh", () => {
  const out = join(tempDir(), "run");
  assert.is(cli(["run", join(FIXTURES, "tiny.yaml"), "--out", out, "--quiet", "--resume"]).code, 0);
  const mtime = statSync(join(out, "manifest.json")).mtimeMs;
  const r = cli(["run", join(FIXTURES, "tiny.yaml"), "--out", out, "--quiet", "--resume"]);
  assert.is(r.code, 0);
  assert.match(r.stdout, /already complete/);
  assert.is(statSync(join(out, "manifest.json")).mtimeMs, mtime);
});

test("a worker that crashes is retried once, then the run fails with a clear error and no output", () => {
  const out = join(tempDir(), "run");
  const r = cli(["run", LONG, "--out", out, "--quiet", "--workers", "2", "--crash-at", "100000"]);
  assert.is(r.code, 1);
  assert.match(
    r.stderr,
    /a worker failed twice on points \d+\.\.\d+ \(worker exited with code: 70\); no output was written/,
    r.stderr,
  );
  assert.not.ok(existsSync(out));
  assert.equal(readdirSync(join(out, "..")), []);
});

test("a worker that hangs is detected, retried once, and the run fails without hanging", () => {
  const out = join(tempDir(), "run");
  const t = Date.now();
  const r = cli(["run", LONG, "--out", out, "--quiet", "--workers", "2", "--hang-at", "100000"], tempDir(), {
    RECSWEEP_TASK_TIMEOUT_MS: "1500",
  });
  assert.is(r.code, 1);
  assert.match(r.stderr, /no answer within 1500 ms \(hung\)/, r.stderr);
  assert.ok(Date.now() - t < 60000);
  assert.not.ok(existsSync(out));
});

test.run();
