// Our CSV writer's fast path writes the same bytes as csv-stringify, whatever the fields hold.
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { stringify } from "csv-stringify/sync";
import { csvText } from "../src/output/csv.ts";

const field = fc.oneof(
  fc.string(),
  fc.constantFrom("", ",", '"', "\n", "\r", "\r\n", " a ", "a,b", 'say "hi"', "=1+2", "-3", "é", "1e+21"),
  fc.double({ noNaN: true }).map(String),
  fc.stringMatching(/^[a-z0-9._-]{1,12}$/),
);

test("csvText writes exactly what csv-stringify writes, with and without a header", () => {
  const table = fc.integer({ min: 2, max: 6 }).chain((width) => {
    const record = fc.array(field, { minLength: width, maxLength: width });
    return fc.tuple(fc.array(record, { maxLength: 8 }), record);
  });
  fc.assert(
    fc.property(table, ([records, header]) => {
      assert.is(csvText(records), stringify(records));
      assert.is(csvText(records, header), stringify(records, { header: true, columns: header }));
    }),
    { numRuns: 300 },
  );
});

test("a header with no records is written as its one line", () => {
  assert.is(csvText([], ["a", "b,c"]), stringify([], { header: true, columns: ["a", "b,c"] }));
});

test.run();
