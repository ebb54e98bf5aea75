// The entry point users run (bin/recsweep.js) loads the CLI bundled at build time (dist/recsweep.cjs,
// scripts/bundle-cli.mjs) from V8's code cache: it must accept that cache, and the bundle must behave as the
// sources do (the other tests run the sources under tsx).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Script } from "node:vm";
import { childEnv, cli, ROOT, tempDir } from "./helpers.ts";

const BUNDLE = join(ROOT, "dist", "recsweep.cjs");
const TINY = join(ROOT, "tests", "fixtures", "tiny.yaml");
const bin = (args: string[], cwd: string) =>
  spawnSync(process.execPath, [join(ROOT, "bin", "recsweep.js"), ...args], { cwd, encoding: "utf8", env: childEnv() });

test("the build leaves a CLI bundle whose code cache V8 accepts", () => {
  assert.ok(
    existsSync(BUNDLE) && existsSync(`${BUNDLE}.v8cache`),
    "no dist/recsweep.cjs and its cache (npm run build)",
  );
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${readFileSync(BUNDLE, "utf8")}\n})`;
  const script = new Script(wrapped, { filename: BUNDLE, cachedData: readFileSync(`${BUNDLE}.v8cache`) });
  assert.is(script.cachedDataRejected, false);
});

test("the bundled CLI writes the same run folder and summary as the sources", () => {
  const dir = tempDir();
  const a = bin(["run", TINY, "--out", join(dir, "bundle"), "--quiet"], dir);
  const b = cli(["run", TINY, "--out", join(dir, "sources"), "--quiet"], dir);
  assert.is(a.status, 0, a.stderr);
  assert.is(b.code, 0, b.stderr);
  const summary = (s: string) => s.replace(/\(\d+\.\d+ s\)/, "").replace(/(bundle|sources)\//g, "");
  assert.is(summary(a.stdout), summary(b.stdout));
  const files = readdirSync(join(dir, "sources")).filter((f) => f !== "run-info.json" && f !== "report.html");
  assert.equal(readdirSync(join(dir, "bundle")).sort(), readdirSync(join(dir, "sources")).sort());
  for (const f of files)
    assert.ok(readFileSync(join(dir, "bundle", f)).equals(readFileSync(join(dir, "sources", f))), `${f} differs`);
});

test("the bundled CLI refuses bad input as the sources do: exit 2, the same message, no stack trace", () => {
  const dir = tempDir();
  const spec = join(ROOT, "tests", "fixtures", "does-not-exist.yaml");
  const a = bin(["run", spec, "--out", join(dir, "x"), "--quiet"], dir);
  const b = cli(["run", spec, "--out", join(dir, "x"), "--quiet"], dir);
  assert.is(a.status, 2);
  assert.is(a.stderr, b.stderr);
  assert.not.match(a.stderr, /\n\s+at /);
});

test.run();
