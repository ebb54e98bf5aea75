// What --out may be: recsweep replaces only a folder it can prove is its own run folder (or, for a single file, a
// file it recognises as its own), never the working directory or a path the command reads; file-system errors on
// the output path become user errors that say what to do.
import { lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, type Stats } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { InputError } from "../input/errors.ts";

/** Every file recsweep writes into a run folder (run, shard run, merge, report). */
export const RUN_FOLDER_FILES: ReadonlySet<string> = new Set([
  "frontier.csv",
  "points.csv",
  "sample.csv",
  "sensitivity.csv",
  "infeasible.csv",
  "infeasible-by-system.csv",
  "elasticity.csv",
  "top-k.csv",
  "points.parquet",
  "calibration.csv",
  "manifest.json",
  "spec.json",
  "run-info.json",
  "report.html",
  "shard.json",
]);

export interface OutOptions {
  /** the `name` of the spec being written: a run folder of another name is replaced only with `overwrite` */
  specName: string;
  /** replace a run folder of a different spec (--overwrite) */
  overwrite?: boolean;
  /** paths (spec file, catalog folder, shard folders) the output must not contain or replace */
  protect?: string[];
  /** the flag that names the output in messages (default --out) */
  flag?: string;
}

export const errCode = (e: unknown) => (e as NodeJS.ErrnoException).code ?? "error";
const ERRNO_TEXT: Record<string, string> = {
  ENOENT: "no such file or folder, and it cannot be created there",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOTDIR: "a part of the path is a file, not a folder",
  ENOSPC: "no space left on the device",
  EEXIST: "already exists",
  ENAMETOOLONG: "name too long",
  ELOOP: "too many symbolic links",
  EISDIR: "is a folder",
};
/** A file-system error on the output path as a user error: what failed, why, and what to do. */
export function outPathError(target: string, action: string, e: unknown, flag = "--out"): InputError {
  const code = errCode(e);
  return new InputError(
    `${target}: cannot ${action} (${code}: ${ERRNO_TEXT[code] ?? (e as Error).message}; expected a writable folder ` +
      `for ${flag}, e.g. ${flag} out/my-run)`,
  );
}

/** The --out argument as an absolute path; an empty or blank value is a mistake, never the working directory. */
export function outArgument(value: string | undefined, flag = "--out"): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === "")
    throw new InputError(`${flag}: '${value}' is empty (expected a folder path, e.g. ${flag} out/my-run)`);
  return resolve(value);
}

/** The real path of `p`: symbolic links resolved for the part that exists, the rest appended. */
function realish(p: string): string {
  let dir = resolve(p);
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(dir), ...rest);
    } catch {
      /* go up */
    }
    const up = dirname(dir);
    if (up === dir) return resolve(p);
    rest.unshift(basename(dir));
    dir = up;
  }
}

const isWithin = (child: string, parent: string) => {
  const r = relative(parent, child);
  return r === "" || (!r.startsWith("..") && !r.startsWith(sep) && r !== "..");
};

interface Manifest {
  tool?: unknown;
  spec_name?: unknown;
}

/** The spec name of the recsweep run folder `dir`, or null when it holds no manifest.json written by recsweep. */
export function runFolderSpecName(dir: string): string | null {
  try {
    const st = lstatSync(join(dir, "manifest.json"));
    if (!st.isFile() || st.size > 64 * 1024 * 1024) return null;
    const m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
    return m && m.tool === "recsweep" && typeof m.spec_name === "string" ? m.spec_name : null;
  } catch {
    return null;
  }
}

const listing = (names: string[]) =>
  names
    .slice(0, 5)
    .map((n) => `'${n}'`)
    .join(", ") + (names.length > 5 ? ` and ${names.length - 5} more` : "");

/**
 * Throws an InputError unless `target` may receive a run's outputs: it does not exist, is an empty folder, or is a
 * recsweep run folder of the same spec (of any spec with `overwrite`) holding only files recsweep writes. Never
 * the working directory, a folder above it, or a folder holding the spec or another protected path.
 */
export function checkOutTarget(target: string, opts: OutOptions): void {
  const flag = opts.flag ?? "--out";
  const real = realish(target);
  const cwd = realish(process.cwd());
  if (isWithin(cwd, real)) {
    throw new InputError(
      `${target}: ${flag} is ` +
        `${real === cwd ? "the working directory" : "a folder that holds the working directory"}; recsweep would ` +
        `replace it (expected a new folder for the results, e.g. ${flag} out/${opts.specName})`,
    );
  }
  for (const p of opts.protect ?? []) {
    if (isWithin(resolve(p), resolve(target)) || isWithin(realish(p), real)) {
      throw new InputError(
        `${target}: ${flag} holds ${p}, which this command reads; recsweep would replace it (expected a separate ` +
          `folder for the results, e.g. ${flag} out/${opts.specName})`,
      );
    }
  }
  // The first existing folder on the way up must be a folder, not a file.
  for (let dir = dirname(target); ; dir = dirname(dir)) {
    let st: Stats;
    try {
      st = statSync(dir);
    } catch (e) {
      if (errCode(e) === "ENOENT" && dirname(dir) !== dir) continue;
      throw outPathError(target, `use ${dir}`, e, flag);
    }
    if (!st.isDirectory())
      throw new InputError(
        `${target}: ${flag} is under ${dir}, which is a file, not a folder (expected a folder path, e.g. ${flag} ` +
          `out/${opts.specName})`,
      );
    break;
  }
  let st: Stats;
  try {
    st = lstatSync(target);
  } catch (e) {
    if (errCode(e) === "ENOENT") return;
    throw outPathError(target, "inspect it", e, flag);
  }
  if (st.isSymbolicLink())
    throw new InputError(
      `${target}: ${flag} is a symbolic link; recsweep does not replace links or what they point to (expected a ` +
        "plain folder path)",
    );
  if (!st.isDirectory())
    throw new InputError(
      `${target}: ${flag} is an existing ${st.isFile() ? "file" : "special file"}; recsweep will not replace it ` +
        `(expected a folder path; choose another ${flag}, or move the file away)`,
    );
  let names: string[];
  try {
    names = readdirSync(target);
  } catch (e) {
    throw outPathError(target, "list the folder", e, flag);
  }
  if (names.length === 0) return;
  const specName = runFolderSpecName(target);
  if (specName === null) {
    throw new InputError(
      `${target}: ${flag} is a folder holding ${names.length} entr${names.length === 1 ? "y" : "ies"} ` +
        `(${listing(names.sort())}) and is not a recsweep run folder (no manifest.json written by recsweep); ` +
        `recsweep replaces only its own run folders (expected a new or empty folder: choose another ${flag})`,
    );
  }
  const foreign = names.filter((n) => !RUN_FOLDER_FILES.has(n)).sort();
  if (foreign.length) {
    throw new InputError(
      `${target}: ${flag} is a recsweep run folder that also holds ${listing(foreign)}, which recsweep did not ` +
        `write; replacing the folder would delete ${foreign.length === 1 ? "it" : "them"} (expected a run folder ` +
        `with only recsweep's files: move ${foreign.length === 1 ? "it" : "them"} out, or choose another ${flag})`,
    );
  }
  if (specName !== opts.specName && !opts.overwrite) {
    throw new InputError(
      `${target}: ${flag} holds the results of another spec ('${specName}', not '${opts.specName}'); recsweep will ` +
        `not replace them unless asked (expected another ${flag}, or --overwrite to replace that run folder)`,
    );
  }
}

/**
 * Creates `dir` and its missing parents one at a time (node's recursive mkdirSync loops forever where mkdir
 * answers ENOENT for a parent that exists, as under /proc).
 */
export function makeFolders(dir: string, target: string, flag = "--out"): void {
  const missing: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    try {
      if (statSync(d).isDirectory()) break;
      throw new InputError(`${target}: ${flag} is under ${d}, which is a file, not a folder (expected a folder path)`);
    } catch (e) {
      if (e instanceof InputError) throw e;
      if (errCode(e) !== "ENOENT" || dirname(d) === d) throw outPathError(target, `use ${d}`, e, flag);
      missing.unshift(d);
    }
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (e) {
      if (errCode(e) === "EEXIST" && statSync(d).isDirectory()) continue;
      throw outPathError(target, `create the folder ${d}`, e, flag);
    }
  }
}

/**
 * Throws unless `file` may be replaced by a file recsweep writes: it does not exist, or it is a regular file that
 * `isOwn` recognises as recsweep's (e.g. a fit written by recsweep calibrate).
 */
export function checkOutFile(file: string, isOwn: (text: string) => boolean, what: string, flag = "--out"): void {
  let st: Stats;
  try {
    st = lstatSync(file);
  } catch (e) {
    if (errCode(e) === "ENOENT") return;
    throw outPathError(file, "inspect it", e, flag);
  }
  let own = false;
  if (st.isFile() && st.size <= 64 * 1024 * 1024) {
    try {
      own = isOwn(readFileSync(file, "utf8"));
    } catch {
      own = false;
    }
  }
  if (!own)
    throw new InputError(
      `${file}: ${flag} is an existing ${st.isDirectory() ? "folder" : st.isFile() ? "file" : "special file"} that ` +
        `is not ${what}; recsweep will not replace it (expected a new file name, or ${what} to replace)`,
    );
}
