// Build step: each committed JSON Schema compiled to a standalone validator module (ajv standalone code), so runs
// load code instead of compiling the schema at start-up. validate.ts uses a module only if its schema hash matches.
import { Ajv2020 } from "ajv/dist/2020.js";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { SCHEMA_DIR } from "../paths.ts";
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
  }
}
