// Writes the JSON Schemas (2020-12) of specs and catalog files, from their TypeBox source, for editors.
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { CatalogFile } from "./catalog-file.ts";
import { SweepSpec } from "./spec.ts";

export function schemaJson(schema: object): string {
  return `${JSON.stringify({ $schema: "https://json-schema.org/draft/2020-12/schema", ...schema }, null, 2)}\n`;
}

export function emitSchemas(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "sweep.schema.json"), schemaJson(SweepSpec));
  writeFileSync(join(dir, "catalog.schema.json"), schemaJson(CatalogFile));
}
