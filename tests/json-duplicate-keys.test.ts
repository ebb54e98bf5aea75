// The JSON fast path's duplicate-key check (input/read.ts hasDuplicateJsonKey) against the YAML parser's, which the
// positioned parse uses to refuse duplicate keys: random JSON texts whose objects draw keys from a few spellings,
// some escaped (so "\u0061" and "a" are the same key), with string values that look like keys.
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { parseDocument } from "yaml";
import { hasDuplicateJsonKey } from "../src/input/read.ts";

const KEYS = ['"a"', '"\\u0061"', '"b"', '"a\\"b"', '"a\\\\"', '"x\\":"', '""', '"é"', '"\\u00e9"'];
const VALUES = ["1", "-2.5e3", "true", "null", '"a"', '"\\": "', '"b\\": 1"', '""'];

const { value } = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
  value: fc.oneof({ depthSize: "small" }, fc.constantFrom(...VALUES), tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 3 }).map((vs) => `[${vs.join(", ")}]`),
  object: fc
    .array(fc.tuple(fc.constantFrom(...KEYS), tie("value")), { maxLength: 4 })
    .map((es) => `{${es.map(([k, v]) => `${k} :${v}`).join(",\n ")}}`),
}));

const yamlSaysDuplicate = (text: string) =>
  parseDocument(text, { uniqueKeys: true }).errors.some((e) => e.code === "DUPLICATE_KEY");

test("a JSON text has a duplicate key exactly when the YAML parser finds one", () => {
  fc.assert(
    fc.property(value, (text) => {
      assert.is(hasDuplicateJsonKey(text), yamlSaysDuplicate(text), text);
    }),
    { numRuns: 3000 },
  );
});

test("a duplicate key in a nested object is found, and none where every key differs", () => {
  const text = '{"id": "x", "nested": [{"k": 1, "v": {"k": 2, "k": 3}}]}';
  assert.ok(hasDuplicateJsonKey(text));
  assert.not.ok(hasDuplicateJsonKey('{"id": "x", "nested": [{"k": 1, "v": {"k": 2}}], "id2": "y"}'));
});

test.run();
