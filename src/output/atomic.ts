// Run folders appear complete or not at all: written in a temporary sibling, then renamed into place.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

export interface StagedFolder {
  /** the temporary folder being written */
  dir: string;
  /** renames the temporary folder onto the final path, replacing a previous result */
  commit(): void;
  /** removes the temporary folder */
  abort(): void;
}

export function stageFolder(finalDir: string): StagedFolder {
  const target = resolve(finalDir);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const dir = join(parent, `.${basename(target)}.recsweep-tmp-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  return {
    dir,
    commit() {
      commitFolder(dir, target);
    },
    abort() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Renames a complete folder onto `target`, replacing a previous result: the old one is moved aside first, so at
 * every moment `target` holds either the previous complete result or the new one (or, between the two renames,
 * nothing).
 */
export function commitFolder(dir: string, target: string): void {
  const old = join(dirname(target), `.${basename(target)}.recsweep-old-${process.pid}`);
  rmSync(old, { recursive: true, force: true });
  if (existsSync(target)) renameSync(target, old);
  renameSync(dir, target);
  rmSync(old, { recursive: true, force: true });
}

/** Writes a file through a temporary name so a reader never sees half of it. */
export function writeFileAtomic(file: string, data: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}
