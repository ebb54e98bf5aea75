// The built-in catalog as the build checked it: the sha256 of each hardware/ file that passed the catalog schema,
// and the catalog hash of hardware/ alone. Loading skips the schema check of a built-in file whose bytes the build
// checked against the same schema, and reuses the hash when the catalog is exactly those files (no --catalog):
// about 20 ms of a small sweep's start-up. Any difference (an edited file, a new schema, no build) means the full
// checks, so the record only ever saves work.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { PROJECT_ROOT, SCHEMA_DIR } from "../paths.ts";
import { sha256 } from "../input/validate.ts";

export const BUILT_IN_CHECK_FILE = join(PROJECT_ROOT, "dist", "catalog-checked.json");

export interface BuiltInCheck {
  /** sha256 of schemas/catalog.schema.json the files were checked against */
  schemaSha256: string;
  /** file name in hardware/ -> sha256 of its text */
  files: Record<string, string>;
  /** the catalog hash (load.ts hashCatalog) of hardware/ alone */
  hash: string;
}

const schemaSha = () => sha256(readFileSync(join(SCHEMA_DIR, "catalog.schema.json"), "utf8"));

/** The build's record, or null when there is none or it was made against another catalog schema. */
export function readBuiltInCheck(): BuiltInCheck | null {
  if (!existsSync(BUILT_IN_CHECK_FILE)) return null;
  try {
    const check = JSON.parse(readFileSync(BUILT_IN_CHECK_FILE, "utf8")) as BuiltInCheck;
    return check.schemaSha256 === schemaSha() ? check : null;
  } catch {
    return null; // a damaged record: check everything
  }
}

/** True when the build checked exactly this text of this built-in file. */
export const checkedBefore = (check: BuiltInCheck | null, file: string, text: string) =>
  check !== null && check.files[basename(file)] === sha256(text);

/** Build step: records the files of a built-in catalog that loaded without problems, and its hash. */
export function writeBuiltInCheck(files: string[], hash: string): void {
  const check: BuiltInCheck = {
    schemaSha256: schemaSha(),
    files: Object.fromEntries(files.map((f) => [basename(f), sha256(readFileSync(f, "utf8"))])),
    hash,
  };
  writeFileSync(BUILT_IN_CHECK_FILE, `${JSON.stringify(check, null, 1)}\n`);
}
