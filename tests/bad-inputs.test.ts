// The bad-input corpus (tests/bad-inputs): every malformed spec, catalog folder and measurement file gives exit
// code 2 within a few seconds, a message with file (and line and column where one exists) and what would be
// valid, a bounded amount of output, no stack trace, and no output folder. A table of what each case produced
// is written to out/test-artifacts/bad-inputs.md.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { childEnv, ROOT, TSX } from "./helpers.ts";

interface Result {
  name: string;
  args: string[];
  code: number;
  stderr: string;
  ms: number;
  outputCreated: boolean;
}

const run = spawnSync(process.execPath, ["--import", TSX, join(ROOT, "tests", "bad-inputs-runner.ts")], {
  env: childEnv(),
  encoding: "utf8",
  timeout: 300000,
  maxBuffer: 64 * 1024 * 1024,
});
const results = run.stdout
  .trim()
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Result);

test("the corpus holds at least 40 bad inputs and every one was tried", () => {
  assert.is(run.status, 0, run.stderr);
  assert.ok(results.length >= 40, `${results.length} cases`);
});

test("every bad input exits 2 quickly with a bounded, positioned message and no stack trace or output", () => {
  for (const r of results) {
    const lines = r.stderr.trim().split("\n");
    assert.is(r.code, 2, `${r.name}: exit ${r.code}\n${r.stderr}`);
    assert.ok(r.ms < 5000, `${r.name}: ${r.ms} ms`);
    assert.ok(lines.length >= 1 && lines.length <= 25, `${r.name}: ${lines.length} lines`);
    assert.not.match(r.stderr, /\n\s+at \S+ \(|UNCAUGHT/, `${r.name}: stack trace`);
    assert.not.ok(r.outputCreated, `${r.name}: created its output folder`);
    assert.match(r.stderr, /expected/, `${r.name}: says what would be valid`);
  }
  const md = [
    "| case | exit | ms | first line of the message |",
    "|---|---|---|---|",
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.code} | ${Math.round(r.ms)} | ${r.stderr
          .trim()
          .split("\n")[0]!
          .replace(`${ROOT}/`, "")
          .replace(/\|/g, "\\|")
          .slice(0, 200)} |`,
    ),
  ];
  mkdirSync(join(ROOT, "out", "test-artifacts"), { recursive: true });
  writeFileSync(join(ROOT, "out", "test-artifacts", "bad-inputs.md"), `${md.join("\n")}\n`);
});

const EXPECTED: Record<string, RegExp> = {
  "spec-unknown-top-key.yaml":
    /spec-unknown-top-key\.yaml:10:1: colour: unknown key 'colour' \(expected one of: schemaVersion, name/,
  "spec-wrong-type-nodes.yaml":
    /spec-wrong-type-nodes\.yaml:4:8: nodes: wrong type \(expected array or object: trainer nodes/,
  "spec-dangling-system.yaml":
    /:3:27: systems\[1\]: unknown system id 'dgx-9000' \(expected one of the catalog's systems/,
  "spec-dangling-compose-part.yaml": /systems\[0\]\.compose\.accelerator: unknown accelerators id 'b300-sxm'/,
  "spec-empty-nodes.yaml": /:4:8: nodes: empty list \(expected at least 1 item/,
  "spec-zero-nodes.yaml": /:4:9: nodes\[0\]: must be >= 1/,
  "spec-nan-nodes.yaml": /:4:9: nodes\[0\]: wrong type \(expected integer\)/,
  "spec-infinite-batch.yaml": /training\.batch_size\[0\]: must be <= 1000000000/,
  "spec-pue-below-one.yaml": /cost\.pue: must be >= 1/,
  "spec-non-utf8.yaml": /not valid UTF-8 text \(expected a UTF-8 YAML or JSON file\)/,
  "spec-alias-bomb.yaml": /expected at most 100 alias expansions/,
  "spec-deep-nesting.yaml": /nesting deeper than 32 levels/,
  "spec-empty.yaml": /:1:1: file is empty \(expected a mapping\)/,
  "spec-comment-only.yaml": /:1:1: file is empty \(expected a mapping\)/,
  "spec-top-level-list.yaml": /:1:1: top level is a list \(expected a mapping\)/,
  "spec-custom-tag.yaml": /:10:14: Unresolved tag/,
  "spec-duplicate-key.yaml":
    /:10:1: duplicate key 'name' \(first at .*spec-duplicate-key\.yaml:2:1; expected each key once/,
  "spec-too-many-points.yaml": /the sweep has 1855788000 points; .* pass --force/,
  "spec-path-traversal-name.yaml": /name: must match pattern/,
  // an error inside a composed node names the field, not the catalog's system ids
  "spec-compose-negative-count.yaml": /:5:67: systems\[0\]\.compose\.accelerators_per_node: must be >= 0/,
  "spec-compose-derive-typo.yaml":
    /derive\.memory_bandwith_gb_per_s: unknown key .*did you mean 'memory_bandwidth_gb_per_s'/,
  "spec-compose-wrong-type.yaml": /compose\.accelerator: wrong type \(expected string, object or array: accelerator id/,
  "spec-derive-missing-from.yaml": /compose\.accelerator\.derive: missing required key 'from'/,
  "spec-nan-figure.yaml": /spec-nan-figure\.yaml:8:14: cost\.pue: not a number \(\.nan; expected a number\)/,
  "spec-merge-key.yaml": /training\.<<: a YAML merge key, which is not read/,
  "spec-json-comment.json": /spec-json-comment\.json:2:3: a comment in a JSON file \(expected plain JSON/,
  "spec-two-documents.yaml": /spec-two-documents\.yaml:8:1: a second YAML document starts here/,
  "spec-derive-zero-factor.yaml": /derive\.memory_bandwidth_gb_per_s: factor 'x0' \(expected a factor > 0/,
  "spec-compose-repeated-part.yaml": /compose\.accelerator\[1\]: repeats an earlier value of the list/,
  "catalog-duplicate-id": /b\.yaml:4:9: nics\[0\]\.id: duplicate id 'cx7-ndr-400' \(already defined at .*a\.yaml:2:9/,
  "catalog-dangling-part": /systems\.yaml:8:\d+: systems 'my-box'\.host_cpu: unknown cpus id 'xeon-9999'/,
  "catalog-holds-a-spec": /my-sweep\.yaml: a sweep spec, not a catalog file/,
  "catalog-link-unknown-accelerator":
    /links\.yaml:6:5: links 'my-switch'\.accelerators: unknown accelerators id 'no-such-gpu'/,
  "catalog-override-empty-set":
    /prices\.yaml:4:10: overrides\[0\]\.set: empty \(expected at least 1 field: field -> new value/,
  "catalog-missing-sources": /nics\[0\]: missing required key 'sources'/,
  "measurements-bad-value.csv":
    /measurements-bad-value\.csv:2: value: 'abc' in row 1 \(id M1\) is not a number \(expected a positive number\)/,
  "measurements-missing-columns.csv": /:1: header lacks column\(s\) trust/,
  "measurements-unknown-trust.csv":
    /measurements-unknown-trust\.csv:2: trust: 'certain' in row 1 \(id M1\) \(expected high, medium, low or empty\)/,
  "file-too-large": /file is 9000017 bytes \(expected at most 8388608 bytes\)/,
  "directory-instead-of-file": /is a directory \(expected a file\)/,
  "missing-file": /cannot read file \(ENOENT: no such file/,
};

test("each kind of bad input gets the message that names its problem", () => {
  for (const [name, re] of Object.entries(EXPECTED)) {
    const r = results.find((x) => x.name === name);
    assert.ok(r, `case ${name} ran`);
    assert.match(r!.stderr, re, name);
  }
});

test.run();
