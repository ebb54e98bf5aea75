// Output safety: recsweep replaces only its own run folder of the same spec; every other --out (a user's folder,
// a file, the working directory, a folder holding the spec, a read-only place) is refused with exit 2 and the
// folder's contents are the same before and after; concurrent runs into one --out never mix.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  lstatSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { cli, cliStart, FIXTURES, tempDir } from "./helpers.ts";

const TINY = join(FIXTURES, "tiny.yaml");
const LONG = join(FIXTURES, "long.yaml");

/** Every entry under `dir` (hidden ones too) with a hash of each file's bytes. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n),
        r = rel ? `${rel}/${n}` : n;
      const st = lstatSync(p);
      if (st.isDirectory()) {
        out[`${r}/`] = "dir";
        walk(p, r);
      } else out[r] = st.isFile() ? createHash("sha256").update(readFileSync(p)).digest("hex") : "special";
    }
  };
  walk(dir, "");
  return out;
}

/** A user's folder: notes, data, a copy of the spec. */
function userFolder(): string {
  const dir = tempDir("recsweep-user-");
  writeFileSync(join(dir, "thesis.tex"), "\\section{Results}\n");
  mkdirSync(join(dir, "data"));
  writeFileSync(join(dir, "data", "measurements.csv"), "a,b\n1,2\n");
  copyFileSync(TINY, join(dir, "tiny.yaml"));
  return dir;
}

const specWithName = (dir: string, name: string) => {
  const f = join(dir, `${name}.yaml`);
  writeFileSync(f, readFileSync(TINY, "utf8").replace("name: tiny", `name: ${name}`));
  return f;
};

test("a non-empty folder that is not a run folder is refused and left as it was", () => {
  const home = tempDir();
  const dir = userFolder();
  const before = snapshot(dir);
  const r = cli(["run", TINY, "--out", dir, "--quiet"], home);
  assert.is(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /is a folder holding 3 entries \('data', 'thesis\.tex', 'tiny\.yaml'\) and is not a recsweep run folder .*choose another --out/,
  );
  assert.equal(snapshot(dir), before);
  assert.equal(readdirSync(home), []);
});

test("--out onto an existing file is refused and the file is unchanged", () => {
  const dir = userFolder();
  const before = snapshot(dir);
  const r = cli(["run", TINY, "--out", join(dir, "thesis.tex"), "--quiet"]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /thesis\.tex: --out is an existing file; recsweep will not replace it/);
  assert.equal(snapshot(dir), before);
});

test("--out under a regular file is refused with exit 2", () => {
  const dir = userFolder();
  const before = snapshot(dir);
  const r = cli(["run", TINY, "--out", join(dir, "thesis.tex", "run"), "--quiet"]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /thesis\.tex, which is a file, not a folder/);
  assert.equal(snapshot(dir), before);
});

for (const blank of ["", "   "]) {
  test(`an empty or blank --out ('${blank}') is refused and the working directory is untouched`, () => {
    const cwd = userFolder();
    const before = snapshot(cwd);
    const r = cli(["run", join(cwd, "tiny.yaml"), "--out", blank, "--quiet"], cwd);
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, /--out: '\s*' is empty \(expected a folder path/);
    assert.equal(snapshot(cwd), before);
  });
}

test("--out . (the working directory) and a folder above it are refused", () => {
  const cwd = userFolder();
  const inner = join(cwd, "data");
  const before = snapshot(cwd);
  for (const [out, re] of [
    [".", /is the working directory/],
    ["..", /is a folder that holds the working directory/],
  ] as const) {
    const r = cli(["run", TINY, "--out", out, "--quiet"], inner);
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, re);
  }
  assert.equal(snapshot(cwd), before);
});

test("--out on the folder that holds the spec, or a parent of it, is refused", () => {
  const home = tempDir();
  const dir = tempDir("recsweep-specdir-");
  mkdirSync(join(dir, "specs"));
  const spec = join(dir, "specs", "tiny.yaml");
  copyFileSync(TINY, spec);
  const before = snapshot(dir);
  for (const out of [join(dir, "specs"), dir]) {
    const r = cli(["run", spec, "--out", out, "--quiet"], home);
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, /--out holds .*tiny\.yaml, which this command reads/);
  }
  assert.equal(snapshot(dir), before);
});

test("--out in a place that cannot be written is exit 2 with a message, not an internal error", () => {
  const targets = ["/sys/recsweep-test-out", "/proc/recsweep-test/out"];
  if (process.getuid?.() !== 0) {
    const ro = tempDir();
    chmodSync(ro, 0o555);
    targets.push(join(ro, "run"));
  }
  for (const out of targets) {
    const r = cli(["run", TINY, "--out", out, "--quiet"]);
    assert.is(r.code, 2, `${out}: ${r.stderr}`);
    assert.match(r.stderr, /cannot (create|use)/);
    assert.match(r.stderr, /expected a writable folder for --out/);
    assert.not.ok(existsSync(out));
  }
});

test("re-running a spec replaces its own run folder; an empty folder is used as is", () => {
  const dir = tempDir();
  const out = join(dir, "run");
  mkdirSync(out);
  assert.is(cli(["run", TINY, "--out", out, "--quiet"]).code, 0);
  const first = readFileSync(join(out, "run-info.json"), "utf8");
  const r = cli(["run", TINY, "--out", out, "--quiet"]);
  assert.is(r.code, 0, r.stderr);
  assert.is.not(readFileSync(join(out, "run-info.json"), "utf8"), first);
  assert.equal(readdirSync(dir), ["run"]);
});

test("a run folder of another spec is replaced only with --overwrite", () => {
  const dir = tempDir();
  const out = join(dir, "run");
  assert.is(cli(["run", TINY, "--out", out, "--quiet"]).code, 0);
  const before = snapshot(dir);
  const other = specWithName(tempDir(), "other-spec");
  const r = cli(["run", other, "--out", out, "--quiet"]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /holds the results of another spec \('tiny', not 'other-spec'\).*--overwrite/);
  assert.equal(snapshot(dir), before);
  const r2 = cli(["run", other, "--out", out, "--quiet", "--overwrite"]);
  assert.is(r2.code, 0, r2.stderr);
  assert.is(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).spec_name, "other-spec");
  assert.equal(readdirSync(dir), ["run"]);
});

test("a run folder holding a file recsweep did not write is refused even with --overwrite", () => {
  const dir = tempDir();
  const out = join(dir, "run");
  assert.is(cli(["run", TINY, "--out", out, "--quiet"]).code, 0);
  writeFileSync(join(out, "my-notes.md"), "keep me\n");
  const before = snapshot(dir);
  for (const extra of [[], ["--overwrite"]]) {
    const r = cli(["run", TINY, "--out", out, "--quiet", ...extra]);
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, /also holds 'my-notes\.md', which recsweep did not write/);
  }
  assert.equal(snapshot(dir), before);
});

test("a folder whose manifest.json recsweep did not write is not a run folder", () => {
  const dir = tempDir();
  const out = join(dir, "run");
  mkdirSync(out);
  writeFileSync(join(out, "manifest.json"), JSON.stringify({ spec_name: "tiny" }));
  const before = snapshot(dir);
  const r = cli(["run", TINY, "--out", out, "--quiet"]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /not a recsweep run folder/);
  assert.equal(snapshot(dir), before);
});

test("merge refuses a user's folder as --out and leaves it as it was", () => {
  const dir = tempDir();
  for (const k of [0, 1])
    assert.is(cli(["run", TINY, "--shard", `${k}/2`, "--out", join(dir, `s${k}`), "--quiet"]).code, 0);
  const user = userFolder();
  const before = snapshot(user);
  const r = cli(["merge", join(dir, "s0"), join(dir, "s1"), "--out", user]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /is not a recsweep run folder/);
  assert.equal(snapshot(user), before);
  const r2 = cli(["merge", join(dir, "s0"), join(dir, "s1"), "--out", dir]);
  assert.is(r2.code, 2, r2.stderr);
  assert.match(r2.stderr, /--out holds .*s0, which this command reads/);
});

test("calibrate --out onto a user's file or folder is refused before fitting, and the file is unchanged", () => {
  const dir = userFolder();
  const before = snapshot(dir);
  for (const out of [join(dir, "thesis.tex"), join(dir, "data"), "", " "]) {
    const r = cli(["calibrate", "--out", out], dir);
    assert.is(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      out.trim()
        ? /is an existing (file|folder) that is not a fit written by recsweep calibrate; recsweep will not replace it/
        : /--out: '\s*' is empty/,
    );
  }
  assert.equal(snapshot(dir), before);
});

const exitOf = (child: ReturnType<typeof cliStart>) =>
  new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? -1)));

test("a second run into an --out a run is writing is refused with exit 2; the first completes alone", async () => {
  const dir = tempDir();
  const out = join(dir, "run");
  const first = cliStart(["run", LONG, "--out", out, "--quiet", "--workers", "1"]);
  const firstExit = exitOf(first);
  const lock = join(dir, ".run.recsweep-lock");
  for (let i = 0; i < 600 && !existsSync(lock); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(existsSync(lock), "the first run holds a lock beside --out");
  const other = specWithName(tempDir(), "intruder");
  const second = cli(["run", other, "--out", out, "--quiet"]);
  assert.is(second.code, 2, second.stderr);
  assert.match(second.stderr, /recsweep process \d+, started .* is writing to this folder/);
  assert.is(await firstExit, 0);
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  assert.is(manifest.spec_name, "long");
  assert.equal(readdirSync(dir), ["run"], "no lock or staging folder left");
});

test("runs of two specs started at once into one --out never mix: the result is one run's complete bytes", async () => {
  const dir = tempDir();
  const out = join(dir, "run");
  const a = specWithName(tempDir(), "spec-a");
  const b = join(tempDir(), "spec-b.yaml");
  writeFileSync(
    b,
    readFileSync(TINY, "utf8").replace("name: tiny", "name: spec-b").replace("nodes: [1, 2]", "nodes: [1, 2, 4]"),
  );
  const refA = join(tempDir(), "a"),
    refB = join(tempDir(), "b");
  assert.is(cli(["run", a, "--out", refA, "--quiet"]).code, 0);
  assert.is(cli(["run", b, "--out", refB, "--quiet"]).code, 0);
  const codes = await Promise.all([a, b, a, b].map((s) => exitOf(cliStart(["run", s, "--out", out, "--quiet"]))));
  assert.ok(
    codes.every((c) => c === 0 || c === 2),
    `exit codes ${codes}`,
  );
  assert.ok(codes.includes(0), `exit codes ${codes}`);
  const name = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).spec_name as string;
  const ref = name === "spec-a" ? refA : refB;
  for (const f of ["manifest.json", "points.csv", "frontier.csv", "spec.json", "infeasible.csv"]) {
    assert.ok(readFileSync(join(out, f)).equals(readFileSync(join(ref, f))), `${f} is ${name}'s`);
  }
  assert.equal(readdirSync(dir), ["run"], "no lock or staging folder left");
});

test("a lock left by a process that ended is taken over, and removed when the run ends", () => {
  const dir = tempDir();
  const out = join(dir, "run");
  writeFileSync(
    join(dir, ".run.recsweep-lock"),
    JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), started: "2020-01-01T00:00:00Z", token: "dead" }),
  );
  mkdirSync(join(dir, ".run.recsweep-partial-999999-abcd"));
  const r = cli(["run", TINY, "--out", out, "--quiet"]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(readdirSync(dir), ["run"]);
});

test.run();
