// Loads the built-in catalog (hardware/*.json) and a user's --catalog DIR on top, validates both with the catalog
// schema, and checks that every id a system names exists.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../input/errors.ts";
import { readYamlFile, type ParsedFile } from "../input/read.ts";
import { validateAgainst } from "../input/validate.ts";
import { HARDWARE_DIR } from "../paths.ts";
import { checkReferences, systemReferenceProblems } from "./references.ts";
import { checkedBefore, readBuiltInCheck, writeBuiltInCheck } from "./checked.ts";
import { applyOverrides, type AppliedOverride, type PendingOverride } from "./overrides.ts";
import { tableSizeProblems } from "./table-size.ts";
import { CATALOG_KINDS, type CatalogKind } from "../schema/vocab.ts";
import type { Accelerator, Cpu, Link, Model, Nic, Storage, System, Tco } from "../schema/catalog.ts";
import type { Override } from "../schema/catalog-file.ts";

export interface Catalog {
  accelerators: Map<string, Accelerator>;
  cpus: Map<string, Cpu>;
  links: Map<string, Link>;
  nics: Map<string, Nic>;
  storage: Map<string, Storage>;
  systems: Map<string, System>;
  models: Map<string, Model>;
  tco: Map<string, Tco>;
  /** sha256 over the canonical JSON of every entry, for the manifest */
  hash: string;
  /** sha256 over the canonical JSON of the --catalog folder's entries (null: none given), for the manifest */
  userHash: string | null;
  /** "file:line:col" where an entry is defined (computed on demand: it needs the positioned parse) */
  originOf?: (kind: CatalogKind, id: string) => string | undefined;
  /** "file:line:col" of one field of an entry: an override's where one replaced it, else the entry's own */
  fieldOriginOf?: (kind: CatalogKind, id: string, field: string) => string | undefined;
  /** figures replaced by `overrides:` in catalog files, in file order (empty: none) */
  overrides: AppliedOverride[];
  /** built-in entries a --catalog entry of the same kind and id replaces whole, in file order (empty: none) */
  replaced: ReplacedEntry[];
  /** the built-in entries as hardware/ defines them (before overrides): the reference for plausibility ranges */
  builtIn?: Record<CatalogKind, Map<string, unknown>>;
}

/** The entries of a catalog by kind, without what loading derives from them. */
export type CatalogEntries = Omit<Catalog, "hash" | "userHash" | "overrides" | "replaced">;

/** A built-in entry that a --catalog entry with the same id replaces: where each is defined ("file:line:col"). */
export interface ReplacedEntry {
  kind: CatalogKind;
  id: string;
  at: string;
  builtInAt: string;
}

const MAX_CATALOG_FILES = 200;

function catalogFiles(dir: string): string[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new InputError(`${dir}: not a directory (expected a catalog folder)`);
    names = readdirSync(dir);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(
      `${dir}: cannot read catalog folder (${(e as NodeJS.ErrnoException).code ?? "error"}; expected a folder of ` +
        "catalog files such as accelerators.json)",
    );
  }
  const files = names
    .filter((n) => /\.(json|ya?ml)$/i.test(n))
    .sort()
    .map((n) => join(dir, n));
  if (files.length > MAX_CATALOG_FILES)
    throw new InputError(`${dir}: ${files.length} catalog files (expected at most ${MAX_CATALOG_FILES})`);
  return files;
}

export interface LoadOptions {
  /** check every built-in file and hash the catalog even where the build's record says it need not (the build) */
  fullCheck?: boolean;
}

export function loadCatalog(userDir?: string, options: LoadOptions = {}): Catalog {
  const cat = {
    accelerators: new Map(),
    cpus: new Map(),
    links: new Map(),
    nics: new Map(),
    storage: new Map(),
    systems: new Map(),
    models: new Map(),
    tco: new Map(),
  } as CatalogEntries;
  const userHash = userDir ? createHash("sha256") : null;
  // where each id was defined, as a thunk: positions need the slow positioned parse, so only errors compute them
  const origin = new Map<string, () => string>();
  const fieldOrigin = new Map<string, (field: string) => string>();
  let builtIn: Record<CatalogKind, Map<string, unknown>> | undefined;
  const problems: string[] = [];
  const parsedFiles: ParsedFile[] = [];
  const pending: PendingOverride[] = [];
  const replaced: ReplacedEntry[] = [];
  const dirs = [HARDWARE_DIR, ...(userDir ? [userDir] : [])];
  // the build's record of the built-in files it checked (checked.ts); `options.fullCheck`: ignore it
  const check = options.fullCheck ? null : readBuiltInCheck();
  let checkedFiles = 0;
  let builtInFiles = 0;
  for (const dir of dirs) {
    if (dir === userDir) builtIn = snapshot(cat);
    const files = catalogFiles(dir);
    if (dir === HARDWARE_DIR) builtInFiles = files.length;
    if (dir === userDir && files.length === 0)
      problems.push(`${dir}: no .json or .yaml catalog files (expected files like accelerators.json)`);
    for (const file of files) {
      let parsed: ParsedFile;
      try {
        parsed = readYamlFile(file, { regularOnly: true, expected: "a regular YAML or JSON catalog file" });
      } catch (e) {
        if (e instanceof InputError) {
          problems.push(...e.problems);
          continue;
        }
        throw e;
      }
      if (dir === userDir && "schemaVersion" in (parsed.data as object)) {
        // a spec kept beside its catalog would fail on every key: one message says what it is
        problems.push(
          `${file}: a sweep spec, not a catalog file (expected only catalog files in the --catalog folder; keep ` +
            "the spec elsewhere)",
        );
        continue;
      }
      const models = (parsed.data as { models?: unknown[] }).models;
      const known = dir === HARDWARE_DIR && checkedBefore(check, file, readFileSync(file, "utf8"));
      if (dir === HARDWARE_DIR && known) checkedFiles++;
      const schemaProblems = known
        ? []
        : [
            ...validateAgainst("catalog", parsed),
            ...(Array.isArray(models)
              ? models.flatMap((_, i) => tableSizeProblems(parsed, ["models", i, "tables"]))
              : []),
          ];
      if (schemaProblems.length) {
        problems.push(...schemaProblems);
        continue;
      }
      parsedFiles.push(parsed);
      const data = parsed.data as Record<string, unknown>;
      for (const kind of CATALOG_KINDS) {
        const items = (data[kind] as Array<{ id: string }> | undefined) ?? [];
        items.forEach((item, i) => {
          const key = `${kind}:${item.id}`;
          const prior = origin.get(key);
          // a user's entry with a built-in id replaces it whole: a catalog written before hardware/ gained that
          // part keeps working (said as a warning and recorded in the manifest); duplicates within one catalog
          // folder stay errors
          const replacesBuiltIn =
            dir === userDir &&
            builtIn?.[kind].has(item.id) &&
            !replaced.some((r) => r.kind === kind && r.id === item.id);
          if (prior && replacesBuiltIn) {
            replaced.push({ kind, id: item.id, at: parsed.where([kind, i, "id"]), builtInAt: prior() });
          } else if (prior) {
            problems.push(
              `${parsed.where([kind, i, "id"])}: ${kind}[${i}].id: duplicate id '${item.id}' (already defined at ` +
                `${prior()}; expected a new id)`,
            );
            return;
          }
          origin.set(key, () => parsed.where([kind, i, "id"]));
          fieldOrigin.set(key, (field) => parsed.where([kind, i], field));
          if (dir === userDir) userHash?.update(`${kind}:${canonical(item)}\n`);
          (cat[kind] as Map<string, unknown>).set(item.id, item);
        });
      }
      ((data.overrides as Override[] | undefined) ?? []).forEach((override, index) => {
        pending.push({ parsed, index, override });
        if (dir === userDir) userHash?.update(`overrides:${canonical(override)}\n`);
      });
    }
  }
  const { applied, problems: overrideProblems } = problems.length
    ? { applied: [], problems: [] }
    : applyOverrides(cat as Record<CatalogKind, Map<string, unknown>>, pending);
  problems.push(...overrideProblems);
  // where one field of an entry was set: by the override that replaced it last, else in the entry itself
  const fieldAt = (kind: CatalogKind, id: string, field: string) =>
    applied.findLast((o) => o.kind === kind && o.id === id && o.field === field)?.at ??
    fieldOrigin.get(`${kind}:${id}`)?.(field);
  if (!problems.length) problems.push(...checkReferences(cat, origin, fieldAt));
  if (problems.length) throw new InputError(problems);
  return {
    ...cat,
    overrides: applied,
    replaced,
    // hardware/ alone, every file as the build checked it: the build's hash of it
    hash:
      check && !userDir && checkedFiles === builtInFiles && builtInFiles === Object.keys(check.files).length
        ? check.hash
        : hashCatalog(cat),
    userHash: userHash ? userHash.digest("hex") : null,
    originOf: (kind, id) => origin.get(`${kind}:${id}`)?.(),
    fieldOriginOf: fieldAt,
    builtIn: builtIn ?? snapshot(cat),
  };
}

/** Build step: checks the built-in catalog in full and records its files and hash (checked.ts). */
export function recordBuiltInCheck(): void {
  writeBuiltInCheck(catalogFiles(HARDWARE_DIR), loadCatalog(undefined, { fullCheck: true }).hash);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}
export { canonical };

function hashCatalog(cat: CatalogEntries): string {
  const h = createHash("sha256");
  for (const kind of CATALOG_KINDS) {
    for (const id of [...cat[kind].keys()].sort()) h.update(`${kind}:${canonical(cat[kind].get(id))}\n`);
  }
  return h.digest("hex");
}

function snapshot(cat: CatalogEntries): Record<CatalogKind, Map<string, unknown>> {
  return Object.fromEntries(CATALOG_KINDS.map((k) => [k, new Map(cat[k] as Map<string, unknown>)])) as Record<
    CatalogKind,
    Map<string, unknown>
  >;
}

export { systemReferenceProblems };
