// "Did you mean" suggestions and problems sorted by position (issue 18 item 7).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError, sortByPosition } from "../src/input/errors.ts";
import { editDistance, nearest } from "../src/input/suggest.ts";
import { loadSpec } from "../src/spec/resolve.ts";
import { tempDir } from "./helpers.ts";

test("the edit distance counts insertions, deletions, substitutions and adjacent swaps as one edit each", () => {
  assert.is(editDistance("", "abc"), 3);
  assert.is(editDistance("abc", "abc"), 0);
  assert.is(editDistance("placments", "placements"), 1);
  assert.is(editDistance("hbm-cahce", "hbm-cache"), 1);
  assert.is(editDistance("kitten", "sitting"), 3);
  assert.is(editDistance("fp61", "fp16"), 1);
});

test("the nearest word is suggested only when it is a plausible misspelling or a part of the word", () => {
  assert.is(nearest("dgx-h10", ["dgx-h100", "dgx-h200", "zion-like"]), "dgx-h100");
  assert.is(nearest("DGX-H100", ["dgx-h100", "dgx-h200"]), "dgx-h100");
  assert.is(nearest("h100", ["zion-like", "dgx-h100", "h100-sxm5-80gb"]), "dgx-h100");
  assert.is(nearest("colour", ["batch_size", "precision", "software"]), undefined);
  assert.is(nearest("x", ["fp32", "fp16"]), undefined);
  // two edits in eight characters is a different id, not a misspelling
  assert.is(nearest("dgx-9000", ["dgx-h100", "dgx-2h"]), undefined);
  assert.is(nearest("dlrm-mlperf-v3x", ["dlrm-mlperf-v1"]), "dlrm-mlperf-v1");
});

test("problems are sorted by file, line and column, and unpositioned ones keep their place", () => {
  const sorted = sortByPosition(["b.yaml:1:1: x", "a.yaml:9:2: y", "note", "a.yaml:3:7: z", "a.yaml:3:2: w"]);
  assert.equal(sorted, ["b.yaml:1:1: x", "a.yaml:3:2: w", "note", "a.yaml:3:7: z", "a.yaml:9:2: y"]);
  assert.equal(new InputError(["f:10:1: late", "f:2:1: early"]).problems, ["f:2:1: early", "f:10:1: late"]);
});

test("a spec's misspelt key, enum values and catalog ids get 'did you mean' suggestions, in file order", () => {
  const file = join(tempDir(), "bad.yaml");
  writeFileSync(
    file,
    [
      "schemaVersion: 1",
      "name: bad",
      "systems: [dgx-h10, zion-like]",
      "nodes: [1]",
      "placments: [hbm-table-wise]",
      "placements: [hbm-cahce]",
      "models:",
      "  - preset: dlrm-mlperf-v2",
      "training: { batch_size: [1024], precision: [fp61] }",
      "",
    ].join("\n"),
  );
  let problems: string[] = [];
  try {
    loadSpec(file);
  } catch (e) {
    problems = (e as InputError).problems;
  }
  const lines = problems.map((p) => Number(p.split(":")[1]));
  assert.equal(lines, [3, 5, 6, 8, 9]);
  assert.match(problems[0]!, "unknown system id 'dgx-h10', did you mean 'dgx-h100'? (expected one of");
  assert.match(problems[1]!, "unknown key 'placments', did you mean 'placements'? (expected one of");
  assert.match(problems[2]!, "did you mean 'hbm-cache'? (expected one of");
  assert.match(problems[3]!, "unknown model id 'dlrm-mlperf-v2', did you mean 'dlrm-mlperf-v1'?");
  assert.match(problems[4]!, "did you mean 'fp16'?");
});

test.run();
