// Reading a user's file with a byte cap that does not trust stat: pipes and process substitutions (size 0 in stat)
// are read to their end, endless devices (/dev/zero) stop at the cap, and special files where a regular file is
// expected (a FIFO or socket in a --catalog folder) are refused before they are opened, so nothing blocks.
import { closeSync, constants, openSync, readSync, statSync, type Stats } from "node:fs";
import { InputError } from "./errors.ts";

/** Stop waiting for a pipe whose writer sends nothing for this long. */
export const PIPE_IDLE_LIMIT_MS = 30_000;
const CHUNK = 64 * 1024;

export function fileKind(st: Stats): string {
  if (st.isFile()) return "regular file";
  if (st.isDirectory()) return "directory";
  if (st.isFIFO()) return "FIFO (named pipe)";
  if (st.isSocket()) return "socket";
  if (st.isCharacterDevice()) return "character device";
  if (st.isBlockDevice()) return "block device";
  return "special file";
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

export interface BoundedReadOptions {
  /** what the file should be, for messages (default: a readable YAML or JSON file) */
  expected?: string;
  /** refuse anything but a regular file, without opening it (files found in folders) */
  regularOnly?: boolean;
}

/** The file's bytes, at most `maxBytes`; more is an InputError, as is any file-system error. */
export function readBounded(file: string, maxBytes: number, opts: BoundedReadOptions = {}): Buffer {
  const expected = opts.expected ?? "a readable YAML or JSON file";
  const fail = (e: unknown): never => {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? "error";
    throw new InputError(
      `${file}: cannot read file (${code}${code === "ENOENT" ? ": no such file" : ""}; expected ${expected})`,
    );
  };
  let st: Stats;
  try {
    st = statSync(file);
  } catch (e) {
    return fail(e);
  }
  if (st.isDirectory()) throw new InputError(`${file}: is a directory (expected a file)`);
  if (opts.regularOnly && !st.isFile())
    throw new InputError(
      `${file}: is a ${fileKind(st)}, not a regular file (expected ${expected}; recsweep does not read special files ` +
        "found in folders)",
    );
  if (st.isSocket()) throw new InputError(`${file}: is a socket (expected ${expected})`);
  if (st.isFile() && st.size > maxBytes)
    throw new InputError(`${file}: file is ${st.size} bytes (expected at most ${maxBytes} bytes)`);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return fail(e);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  let idleSince = 0;
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EAGAIN") return fail(e);
        // a pipe whose writer has not written yet: wait, within a bound
        idleSince ||= Date.now();
        if (Date.now() - idleSince > PIPE_IDLE_LIMIT_MS)
          throw new InputError(`${file}: no data for ${PIPE_IDLE_LIMIT_MS / 1000} s (expected ${expected})`);
        sleep(5);
        continue;
      }
      idleSince = 0;
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total > maxBytes)
        throw new InputError(`${file}: file is more than ${maxBytes} bytes (expected at most ${maxBytes} bytes)`);
    }
  } finally {
    closeSync(fd);
  }
  return Buffer.concat(chunks, total);
}
