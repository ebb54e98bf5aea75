// Output safety: recsweep replaces only a folder it can prove is its own run folder (out-target.ts), stages every
// run in a hidden folder of its own (unique per process), and holds a lock on the destination while it works
// (out-lock.ts), so concurrent runs into one --out never mix: the second is refused with a message, and the result
// is always one run's bytes.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { commitFolder } from "./atomic.ts";
import { lockOut } from "./out-lock.ts";
import { checkOutTarget, outPathError, type OutOptions } from "./out-target.ts";

export interface StagedOut {
  target: string;
  /** this process's staging folder (created) */
  partial: string;
  checkpoint: string;
  /** whether `partial` holds an interrupted run's staging folder (resume) */
  adopted: boolean;
  /** checks the target again, then renames the staging folder onto it */
  commit(): void;
  /** removes the staging folder and releases the lock */
  release(): void;
  /** keeps the staging folder on release (an interrupted run this process must not discard; a later --resume) */
  keep(): void;
}

const PARTIAL = ".recsweep-partial";

/** Hidden folders an earlier (ended) run of `target` left beside it: staging folders and moved-aside results. */
function leftovers(target: string): { partials: string[]; others: string[] } {
  const parent = dirname(target);
  const base = `.${basename(target)}`;
  const partials: string[] = [],
    others: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(parent);
  } catch {
    return { partials, others };
  }
  for (const n of names) {
    if (n === base + PARTIAL || n.startsWith(`${base}${PARTIAL}-`)) partials.push(join(parent, n));
    else if (n.startsWith(`${base}.recsweep-old-`) || n.startsWith(`${base}.recsweep-lock.stale-`))
      others.push(join(parent, n));
  }
  return { partials, others };
}

/**
 * Checks `target`, locks it and creates this process's staging folder beside it. Staging folders of earlier runs
 * (their processes ended: we hold the lock) are removed, except that with `resume` the newest one holding a
 * checkpoint is taken over. The caller writes into `partial`, then calls commit(); release() always.
 */
export function stageOut(target: string, opts: OutOptions & { resume?: boolean }): StagedOut {
  checkOutTarget(target, opts);
  const lock = lockOut(target, opts.flag);
  let partial = "";
  try {
    checkOutTarget(target, opts); // again, now that no other recsweep can change it
    partial = join(dirname(target), `.${basename(target)}${PARTIAL}-${process.pid}-${randomBytes(4).toString("hex")}`);
    const { partials, others } = leftovers(target);
    for (const o of others) rmSync(o, { recursive: true, force: true });
    let adopted = false;
    if (opts.resume) {
      const withCheckpoint = partials
        .map((p) => {
          try {
            return { p, t: statSync(join(p, "checkpoint.json")).mtimeMs };
          } catch {
            return null;
          }
        })
        .filter((x): x is { p: string; t: number } => x !== null)
        .sort((a, b) => b.t - a.t);
      if (withCheckpoint.length) {
        renameSync(withCheckpoint[0]!.p, partial);
        adopted = true;
      }
    }
    for (const p of partials) rmSync(p, { recursive: true, force: true });
    try {
      if (!adopted) mkdirSync(partial);
    } catch (e) {
      throw outPathError(target, `create the staging folder ${partial}`, e, opts.flag);
    }
    const checkpoint = join(partial, "checkpoint.json");
    let kept = false;
    return {
      target,
      partial,
      checkpoint,
      adopted,
      commit() {
        checkOutTarget(target, opts);
        try {
          commitFolder(partial, target);
        } catch (e) {
          throw outPathError(target, "move the results into place", e, opts.flag);
        }
      },
      release() {
        if (!kept) rmSync(partial, { recursive: true, force: true });
        lock.release();
      },
      keep() {
        kept = true;
      },
    };
  } catch (e) {
    if (partial) rmSync(partial, { recursive: true, force: true });
    lock.release();
    throw e;
  }
}
