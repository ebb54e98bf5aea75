// Outputs written in pieces or copied, to keep large sweeps' memory and small sweeps' time down, hold exactly the
// bytes the whole-value way of writing them gives.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runState, runStateJson } from "../src/output/state.ts";
import { writeSampleCsv } from "../src/output/tables.ts";
import { pointHeader, PointLines } from "../src/output/format.ts";
import { csvText } from "../src/output/csv.ts";
import { bytesBefore } from "../src/report/data.ts";
import { runSweep } from "../src/run/sweep.ts";
import { loadSpec } from "../src/spec/resolve.ts";
import { totalPoints } from "../src/space/space.ts";
import { FIXTURES, tempDir } from "./helpers.ts";

test("a run state written in pieces is the text JSON.stringify gives, NaN, infinities and missing bests included", async () => {
  const { plan } = loadSpec(join(FIXTURES, "tiny.yaml"));
  const result = await runSweep(plan, { workers: 1, wantPoints: false });
  // a system without a feasible point, a NaN in a row and a -0: written as JSON.stringify writes them
  result.best[0] = null;
  result.frontier[0]!.row[3] = Number.NaN;
  result.frontier[0]!.row[4] = -0;
  result.reasonCounts[1] = Number.POSITIVE_INFINITY;
  const range: [number, number] = [0, totalPoints(plan)];
  const whole = JSON.stringify(runState(result, range));
  const pieces = [...runStateJson(result, range)];
  assert.ok(pieces.length > 5, `${pieces.length} pieces`);
  assert.is(pieces.join(""), whole);
  assert.ok(result.axisBest.includes(Number.NEGATIVE_INFINITY), "the sweep has axis values without a feasible point");
});

test("the bytes before a marker are found when the marker straddles chunks, and null when it is absent", () => {
  const file = join(tempDir(), "prefix.csv");
  const text = "w,axis\na,1\na,2\nbb,3\nbb,4\nc,5\n";
  writeFileSync(file, text);
  for (const marker of ["\nbb,", "\nc,", "\na,", "\nzz,"]) {
    const at = Buffer.from(text).indexOf(marker);
    const want = at < 0 ? null : text.slice(0, at + 1);
    for (const chunk of [1, 2, 3, 5, 7, 64]) {
      const got = bytesBefore(file, Buffer.from(marker), chunk);
      assert.is(got === null ? null : got.toString("utf8"), want, `${JSON.stringify(marker)}, chunks of ${chunk}`);
    }
  }
});

test("sample.csv copied from points.csv when the sample holds every feasible point is the sample formatted", async () => {
  const { plan } = loadSpec(join(FIXTURES, "tiny.yaml"));
  const result = await runSweep(plan, { workers: 1, wantPoints: false });
  assert.is(result.sample.length, result.reasonCounts[0], "the tiny sweep's sample keeps every feasible point");
  const dir = tempDir();
  // points.csv as a run writes it: the header, then every feasible point in index order
  const all = await runSweep(plan, { workers: 1, wantPoints: true, onRange: () => {} });
  const points: string[] = [];
  await runSweep(plan, {
    workers: 1,
    wantPoints: true,
    onRange: (r) => {
      points.push(new PointLines(plan).lines(r.pointIndex!, r.pointRows!));
    },
  });
  writeFileSync(join(dir, "points.csv"), csvText([], pointHeader(plan)) + points.join(""));
  writeSampleCsv(join(dir, "formatted.csv"), plan, all);
  writeSampleCsv(join(dir, "copied.csv"), plan, all, join(dir, "points.csv"));
  assert.is(readFileSync(join(dir, "copied.csv"), "utf8"), readFileSync(join(dir, "formatted.csv"), "utf8"));
  // a sample that does not hold every feasible point is formatted, never copied
  const part = { ...all, sample: all.sample.slice(1) };
  writeSampleCsv(join(dir, "part.csv"), plan, part, join(dir, "points.csv"));
  assert.is(readFileSync(join(dir, "part.csv"), "utf8").split("\n").length, all.sample.length + 1);
});

test.run();
