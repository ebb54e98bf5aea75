// The JSON Schema validators compiled at build time (dist/validators, ajv standalone code) are the ones runs use,
// and they judge every input exactly as the schema compiled at run time does.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { readYamlFile } from "../src/input/read.ts";
import {
  compileAtRunTime,
  precompiledValidatorFile,
  sha256,
  usesPrecompiledValidator,
  SCHEMA_NAMES,
} from "../src/input/validate.ts";
import { ROOT } from "./helpers.ts";

const require = createRequire(import.meta.url);
const schemaText = (name: string) => readFileSync(join(ROOT, "schemas", `${name}.schema.json`), "utf8");

test("runs validate with the validators the build compiled from the committed schemas", () => {
  for (const name of SCHEMA_NAMES) {
    assert.ok(usesPrecompiledValidator(name), `${name}: no precompiled validator in use (run npm run build)`);
    const pre = require(precompiledValidatorFile(name)) as { schemaSha256: string };
    assert.is(pre.schemaSha256, sha256(schemaText(name)));
  }
});

/** Every spec and catalog file the repository holds, good and bad, with the schema that judges it. */
function inputs(): Array<{ name: "sweep" | "catalog"; file: string }> {
  const out: Array<{ name: "sweep" | "catalog"; file: string }> = [];
  const bad = join(ROOT, "tests", "bad-inputs");
  for (const f of readdirSync(bad)) {
    if (/^spec-.*\.(ya?ml|json)$/.test(f)) out.push({ name: "sweep", file: join(bad, f) });
    if (f.startsWith("catalog-"))
      for (const c of readdirSync(join(bad, f)))
        if (c.endsWith(".json")) out.push({ name: "catalog", file: join(bad, f, c) });
  }
  for (const f of readdirSync(join(ROOT, "sweeps")))
    if (/\.ya?ml$/.test(f)) out.push({ name: "sweep", file: join(ROOT, "sweeps", f) });
  for (const f of readdirSync(join(ROOT, "hardware")))
    if (f.endsWith(".json")) out.push({ name: "catalog", file: join(ROOT, "hardware", f) });
  return out;
}

test("a precompiled validator reports exactly the errors of the schema compiled at run time, on every input", () => {
  const runtime = Object.fromEntries(
    SCHEMA_NAMES.map((n) => [n, compileAtRunTime(JSON.parse(schemaText(n)) as object)]),
  );
  const pre = Object.fromEntries(
    SCHEMA_NAMES.map((n) => [
      n,
      (require(precompiledValidatorFile(n)) as { validate: (typeof runtime)[string] }).validate,
    ]),
  );
  let compared = 0,
    failing = 0;
  for (const { name, file } of inputs()) {
    let data: unknown;
    try {
      data = readYamlFile(file).data;
    } catch {
      continue;
    } // unreadable files never reach the schema
    const a = runtime[name]!(data),
      b = pre[name]!(data);
    assert.is(b, a, `${file}: valid ${b} vs ${a}`);
    assert.equal(pre[name]!.errors ?? null, runtime[name]!.errors ?? null, file);
    compared++;
    if (!a) failing++;
  }
  assert.ok(compared >= 40 && failing >= 20, `${compared} inputs compared, ${failing} of them invalid`);
});

test.run();
