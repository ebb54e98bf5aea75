// Run folders appear complete or not at all: written in a hidden sibling folder, then renamed into place.
import { closeSync, existsSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

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

/** writeFileAtomic for text given in pieces (strings, or iterables of strings), each written as it comes. */
export function writePiecesAtomic(file: string, pieces: ReadonlyArray<string | Iterable<string>>): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w");
  try {
    for (const piece of pieces) {
      if (typeof piece === "string") writeSync(fd, piece);
      else for (const p of piece) writeSync(fd, p);
    }
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
