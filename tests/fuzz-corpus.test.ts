// The fuzzing corpus: inputs the harness (tests/fuzz.test.ts) found that broke recsweep, kept as regression tests.
// Each must now be accepted or refused with a user error (exit 2) within the harness's bounds, and refused with
// the message named in tests/fuzz-corpus/expected.json. Add a failing input from out/fuzz-failures/ here with
// its expected message once it is fixed.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { checkCatalogDir, checkMeasurements, checkSpecFile } from "./fuzz-lib.ts";
import { ROOT, tempDir } from "./helpers.ts";

const DIR = join(ROOT, "tests", "fuzz-corpus");
const expected = JSON.parse(readFileSync(join(DIR, "expected.json"), "utf8")) as Record<string, string>;
const entries = readdirSync(DIR)
  .filter((f) => f !== "expected.json")
  .sort();

test("every corpus input has an expected outcome, and every expectation an input", () => {
  assert.equal(entries, Object.keys(expected).sort());
});

for (const name of entries) {
  test(`corpus ${name}: ${expected[name]}`, async () => {
    const p = join(DIR, name);
    const outcome =
      name.startsWith("catalog-") && statSync(p).isDirectory()
        ? await checkCatalogDir(p, tempDir())
        : name.startsWith("measurements-")
          ? await checkMeasurements(p)
          : await checkSpecFile(p);
    const want = expected[name]!;
    if (want === "accepted") assert.ok(outcome.accepted, outcome.message);
    else {
      assert.not.ok(outcome.accepted, "accepted");
      assert.match(outcome.message!, new RegExp(want.replace(/^refused: /, "")));
    }
  });
}

test.run();
