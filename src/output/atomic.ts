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
      const old = join(parent, `.${basename(target)}.recsweep-old-${process.pid}`);
      if (existsSync(target)) renameSync(target, old);
      renameSync(dir, target);
      rmSync(old, { recursive: true, force: true });
    },
    abort() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes a file through a temporary name so a reader never sees half of it. */
export function writeFileAtomic(file: string, data: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}
