// Build step: each committed JSON Schema compiled to a standalone validator module (ajv standalone code), so runs
// load code instead of compiling the schema at start-up. validate.ts uses a module only if its schema hash matches.
import { Ajv2020 } from "ajv/dist/2020.js";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { HARDWARE_DIR, PROJECT_ROOT, SCHEMA_DIR } from "../paths.ts";
import { writeCodeCache } from "./code-cache.ts";
import { readYamlFile } from "./read.ts";
import { AJV_OPTIONS, precompiledValidatorFile, SCHEMA_NAMES, sha256 } from "./validate.ts";

// a CommonJS module whose export is the function itself
const standaloneCode = createRequire(import.meta.url)(
  "ajv/dist/standalone/index.js",
) as typeof import("ajv/dist/standalone/index.js").default;

export function writePrecompiledValidators(): void {
  for (const name of SCHEMA_NAMES) {
    const text = readFileSync(join(SCHEMA_DIR, `${name}.schema.json`), "utf8");
    const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { source: true } });
    const code = standaloneCode(ajv, ajv.compile(JSON.parse(text) as object));
    const file = precompiledValidatorFile(name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      `${code}\nmodule.exports.validate = module.exports;\n` +
        `module.exports.schemaSha256 = ${JSON.stringify(sha256(text))};\n`,
    );
    // V8's code cache, made after validating the repository's own specs or catalog files (what V8 compiles lazily
    // is cached only once it has run)
    const samples =
      name === "sweep" ? filesIn(join(PROJECT_ROOT, "sweeps"), /\.ya?ml$/) : filesIn(HARDWARE_DIR, /\.json$/);
    writeCodeCache(file, (m) => {
      const validate = (m as { validate: (data: unknown) => boolean }).validate;
      for (const f of samples) validate(readYamlFile(f).data);
    });
  }
}

const filesIn = (dir: string, pattern: RegExp) =>
  readdirSync(dir)
    .filter((f) => pattern.test(f))
    .sort()
    .map((f) => join(dir, f));
