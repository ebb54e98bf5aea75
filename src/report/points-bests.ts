// Each system's best points per workload, read from points.csv in one streaming pass (the file can be far larger
// than a string may be), so the summary's runner-up margins are exact when the run wrote every feasible point.
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { objectiveColumnName } from "../schema/vocab.ts";
import type { Row } from "./summary.ts";

/** points.csv files above this size are not read for the summary (about 650,000 points at 310 bytes a point). */
export const POINTS_SCAN_MAX_BYTES = 200e6;

/** Fields of one CSV line (RFC 4180 quotes; the line holds no newline inside quotes). */
function fields(line: string): string[] {
  if (!line.includes('"')) return line.split(",");
  const out: string[] = [];
  let cur = "",
    quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Lines of a file, read in 4 MiB chunks. */
function* lines(file: string): Generator<string> {
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.alloc(4 << 20);
    // a chunk may end inside a multi-byte character: the decoder keeps the incomplete tail for the next chunk
    const decoder = new StringDecoder("utf8");
    let rest = "";
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      const text = rest + decoder.write(buf.subarray(0, n));
      const parts = text.split("\n");
      rest = parts.pop()!;
      yield* parts;
    }
    rest += decoder.end();
    if (rest) yield rest;
  } finally {
    closeSync(fd);
  }
}

/**
 * Per workload, system and objective, the best point of points.csv (as a record), and how many points it holds;
 * null when the file is missing, too large or lacks a column the summary needs.
 */
export function systemBests(file: string, objectives: readonly string[]): { rows: Row[]; count: number } | null {
  let key: string;
  try {
    const st = statSync(file);
    if (st.size > POINTS_SCAN_MAX_BYTES) return null;
    key = JSON.stringify([file, st.size, st.mtimeMs, st.ino, objectives]);
  } catch {
    return null;
  }
  // `recsweep run` writes the report, then prints the same summary: the second read of the file is this one
  if (last?.key !== key) last = { key, value: scan(file, objectives) };
  return last.value;
}

let last: { key: string; value: { rows: Row[]; count: number } | null } | undefined;

function scan(file: string, objectives: readonly string[]): { rows: Row[]; count: number } | null {
  let header: string[] | null = null;
  let cols: Array<{ at: number; sign: number }> = [];
  let wAt = -1,
    sAt = -1,
    count = 0;
  const best = new Map<string, { value: number; row: string[] }>();
  for (const line of lines(file)) {
    if (!line) continue;
    if (!header) {
      header = fields(line.replace(/\r$/, ""));
      wAt = header.indexOf("workload");
      sAt = header.indexOf("system");
      cols = objectives.map((o) => ({
        at: header!.indexOf(objectiveColumnName(o).column),
        sign: objectiveColumnName(o).sign,
      }));
      if (wAt < 0 || sAt < 0 || cols.some((c) => c.at < 0)) return null;
      continue;
    }
    const f = fields(line.replace(/\r$/, ""));
    count++;
    cols.forEach((c, k) => {
      if (f[c.at] === "") return;
      const v = c.sign * Number(f[c.at]);
      const key = `${k}\u0000${f[wAt]}\u0000${f[sAt]}`;
      const cur = best.get(key);
      if (!cur || v > cur.value) best.set(key, { value: v, row: f });
    });
  }
  if (!header) return null;
  const h = header;
  const rows = [...new Set([...best.values()].map((b) => b.row))].map((f) =>
    Object.fromEntries(
      h.map((name, i) => [name, f[i] !== "" && /^-?[\d.]+(e[-+]?\d+)?$/i.test(f[i]!) ? Number(f[i]) : (f[i] ?? "")]),
    ),
  );
  return { rows, count };
}
