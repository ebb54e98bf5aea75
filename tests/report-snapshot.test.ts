// Snapshot of report.html's structure and embedded data for a small run, with volatile parts normalised: numbers
// rounded to 3 significant digits, the inlined library bundle replaced by its hash, generated ids renumbered.
// Update after an intended change with UPDATE_SNAPSHOTS=1 npm test.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, FIXTURES, ROOT, tempDir } from "./helpers.ts";

const SNAPSHOT = join(ROOT, "tests", "snapshots", "report-tiny.html.snap");

export function normaliseReport(html: string): string {
  const ids = new Map<string, string>();
  return html
    .replace(
      /<script>([\s\S]*?)<\/script>/,
      (_m, code: string) =>
        `<script>/* bundle sha256 ${createHash("sha256").update(code).digest("hex").slice(0, 16)} */</script>`,
    )
    .replace(/-?\d+\.\d+(e[-+]?\d+)?/gi, (n) => String(Number(Number(n).toPrecision(3))))
    .replace(/plot-[0-9a-f]{6}/g, (id) => {
      if (!ids.has(id)) ids.set(id, `plot-id${ids.size}`);
      return ids.get(id)!;
    })
    .replace(/"(started_at|seconds)":[^,}]*/g, '"$1":"?"');
}

test("report.html keeps its structure and embedded data (normalised snapshot)", () => {
  const out = join(tempDir(), "run");
  assert.is(cli(["run", join(FIXTURES, "tiny.yaml"), "--out", out, "--quiet"]).code, 0);
  const actual = normaliseReport(readFileSync(join(out, "report.html"), "utf8"));
  if (process.env.UPDATE_SNAPSHOTS === "1" || !existsSync(SNAPSHOT)) {
    if (process.env.CI === "true") assert.unreachable(`snapshot ${SNAPSHOT} is missing in CI`);
    mkdirSync(join(ROOT, "tests", "snapshots"), { recursive: true });
    writeFileSync(SNAPSHOT, actual);
    console.log(`wrote snapshot ${SNAPSHOT}`);
  }
  const expected = readFileSync(SNAPSHOT, "utf8");
  assert.ok(
    actual === expected,
    "report.html differs from tests/snapshots/report-tiny.html.snap (UPDATE_SNAPSHOTS=1 npm test after an intended change)",
  );
});

test("text from specs is escaped in the report", () => {
  const dir = tempDir();
  const spec = join(dir, "xss.yaml");
  writeFileSync(
    spec,
    readFileSync(join(FIXTURES, "tiny.yaml"), "utf8").replace(
      "name: tiny",
      'name: tiny\ndescription: "</script><script>alert(1)</script><b>bold</b>"',
    ),
  );
  const out = join(dir, "run");
  assert.is(cli(["run", spec, "--out", out, "--quiet"]).code, 0);
  const html = readFileSync(join(out, "report.html"), "utf8");
  assert.not.ok(html.includes("<script>alert(1)"));
  assert.not.ok(html.includes("<b>bold</b>"));
  assert.ok(html.includes("\\u003c/script>\\u003cscript>alert(1)"));
});

test.run();
