// The lock on an output folder: a file beside it, created exclusively and naming this process, so concurrent runs
// into one --out never mix (the second is refused with a message).
import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { InputError } from "../input/errors.ts";
import { errCode, makeFolders, outPathError } from "./out-target.ts";

interface LockInfo {
  pid: number;
  host: string;
  started: string;
  token: string;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errCode(e) === "EPERM";
  }
};

function readLock(file: string): { info: LockInfo | null; mtimeMs: number } | null {
  try {
    const mtimeMs = statSync(file).mtimeMs;
    let info: LockInfo | null = null;
    try {
      info = JSON.parse(readFileSync(file, "utf8")) as LockInfo;
    } catch {
      info = null;
    }
    if (info && (typeof info.pid !== "number" || typeof info.token !== "string")) info = null;
    return { info, mtimeMs };
  } catch (e) {
    if (errCode(e) === "ENOENT") return null;
    throw e;
  }
}

/** Lock files older than this with unreadable contents are stale (a writer died between create and write). */
const GARBLED_LOCK_STALE_MS = 10_000;

export interface OutLock {
  file: string;
  release(): void;
}

/**
 * Takes the lock on `target`: a file beside it, created exclusively, naming this process. A lock whose process
 * has ended (same host) is stale and taken over; a live one refuses with a message.
 */
export function lockOut(target: string, flag = "--out"): OutLock {
  const parent = dirname(target);
  makeFolders(parent, target, flag);
  const file = join(parent, `.${basename(target)}.recsweep-lock`);
  const info: LockInfo = {
    pid: process.pid,
    host: hostname(),
    started: new Date().toISOString(),
    token: randomBytes(8).toString("hex"),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, "wx");
    } catch (e) {
      if (errCode(e) !== "EEXIST") throw outPathError(target, `create the lock file ${file}`, e, flag);
      const held = readLock(file);
      if (!held) continue; // released meanwhile
      const { info: other, mtimeMs } = held;
      const stale = other
        ? other.host === info.host && !alive(other.pid)
        : Date.now() - mtimeMs > GARBLED_LOCK_STALE_MS;
      if (!stale) {
        const who = other
          ? `recsweep process ${other.pid}${other.host !== info.host ? ` on ${other.host}` : ""}, started ` +
            `${other.started}`
          : "another recsweep process";
        throw new InputError(
          `${target}: ${who} is writing to this folder (lock ${file}) (expected one run at a time per ${flag}: wait ` +
            `for it to finish or choose another ${flag}; if no recsweep is running, delete the lock file)`,
        );
      }
      // Break the stale lock: move it aside under a unique name, and keep it broken only if it is still the one
      // we judged stale (another process may have broken it and taken a fresh lock in between).
      const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString("hex")}`;
      try {
        renameSync(file, aside);
      } catch {
        continue;
      }
      const moved = readLock(aside);
      if (moved && other && moved.info?.token !== other.token) {
        try {
          renameSync(aside, file);
        } catch {
          /* ignore */
        }
        continue;
      }
      rmSync(aside, { force: true });
      continue;
    }
    try {
      writeSync(fd, `${JSON.stringify(info)}\n`);
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      file,
      release() {
        if (released) return;
        released = true;
        const now = readLock(file);
        if (now?.info?.token === info.token) {
          try {
            unlinkSync(file);
          } catch {
            /* gone */
          }
        }
      },
    };
  }
  throw new InputError(
    `${target}: could not take the lock ${file} (expected one run at a time per ${flag}: try again, or choose ` +
      `another ${flag})`,
  );
}
