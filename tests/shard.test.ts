import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliDecompressSync } from "node:zlib";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { cli, cliStart, FIXTURES, tempDir } from "./helpers.ts";

const OUTPUTS = ["frontier.csv", "points.csv", "manifest.json", "infeasible.csv"];

const runAsync = (args: string[]) =>
  new Promise<number>((resolve) => cliStart(args).on("exit", (c) => resolve(c ?? -1)));

test("N shard processes merged give byte-identical outputs to a single run", async () => {
  const dir = tempDir();
  const spec = join(FIXTURES, "tiny.yaml");
  const codes = await Promise.all(
    [0, 1, 2, 3].map((k) => runAsync(["run", spec, "--shard", `${k}/4`, "--out", join(dir, `s${k}`), "--quiet"])),
  );
  assert.equal(codes, [0, 0, 0, 0]);
  assert.is(
    cli(["merge", join(dir, "s3"), join(dir, "s1"), join(dir, "s0"), join(dir, "s2"), "--out", join(dir, "merged")])
      .code,
    0,
  );
  assert.is(cli(["run", spec, "--out", join(dir, "single"), "--quiet"]).code, 0);
  for (const f of OUTPUTS)
    assert.is(readFileSync(join(dir, "merged", f), "utf8"), readFileSync(join(dir, "single", f), "utf8"), f);
});

test("merged shards' points.parquet holds the single run's rows, in order", async () => {
  const dir = tempDir();
  const spec = join(dir, "tiny.yaml");
  writeFileSync(spec, `${readFileSync(join(FIXTURES, "tiny.yaml"), "utf8")}output: { points_parquet: true }\n`);
  for (const k of [0, 1, 2])
    assert.is(cli(["run", spec, "--shard", `${k}/3`, "--out", join(dir, `s${k}`), "--quiet"]).code, 0);
  const merge = cli(["merge", join(dir, "s2"), join(dir, "s0"), join(dir, "s1"), "--out", join(dir, "merged")]);
  assert.is(merge.code, 0, merge.stderr);
  assert.is(cli(["run", spec, "--out", join(dir, "single"), "--quiet"]).code, 0);
  const read = async (run: string) =>
    parquetReadObjects({
      file: await asyncBufferFromFile(join(dir, run, "points.parquet")),
      compressors: { BROTLI: (b: Uint8Array) => new Uint8Array(brotliDecompressSync(b)) },
    });
  const [merged, single] = [await read("merged"), await read("single")];
  assert.ok(single.length > 0);
  assert.equal(merged, single);
});

test("merge refuses shards that do not tile the sweep", () => {
  const dir = tempDir();
  const spec = join(FIXTURES, "tiny.yaml");
  assert.is(cli(["run", spec, "--shard", "0/2", "--out", join(dir, "s0"), "--quiet"]).code, 0);
  const r = cli(["merge", join(dir, "s0"), "--out", join(dir, "m")]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /shards cover points 0\.\.95 of 192 \(expected all shards of the sweep\)/);
  assert.equal(readdirSync(dir).sort(), ["s0"]);
});

test("merge refuses a shard whose points.csv is truncated or foreign, and writes no output folder", () => {
  const dir = tempDir();
  const spec = join(FIXTURES, "tiny.yaml");
  for (const k of [0, 1])
    assert.is(cli(["run", spec, "--shard", `${k}/2`, "--out", join(dir, `s${k}`), "--quiet"]).code, 0);
  const file = join(dir, "s0", "points.csv");
  const whole = readFileSync(file, "utf8");
  const lines = whole.split("\n");
  for (const [damaged, message] of [
    [whole.slice(0, 100), /points\.csv:1: not the header of this sweep's points\.csv/],
    [
      `${lines.slice(0, -3).join("\n")}\n`,
      /points\.csv: \d+ complete point line\(s\) but shard\.json counts \d+ feasible/,
    ],
  ] as const) {
    writeFileSync(file, damaged);
    const r = cli(["merge", join(dir, "s0"), join(dir, "s1"), "--out", join(dir, "m")]);
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.not.match(r.stderr, /\n\s+at /);
    assert.not.ok(
      readdirSync(dir).some((f) => f === "m" || f.includes("partial")),
      readdirSync(dir).join(" "),
    );
  }
});

test("a bad --shard value is an input error", () => {
  const r = cli(["run", join(FIXTURES, "tiny.yaml"), "--shard", "4/4"]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /--shard: '4\/4' \(expected K\/N with 0 <= K < N/);
});

test.run();
