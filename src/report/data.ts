// What the report shows, read from a run folder's files only (the report layer never calls the engine).
import { closeSync, existsSync, openSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { InputError } from "../input/errors.ts";
import { systemBests } from "./points-bests.ts";
import { objectiveInfo, type Row, type SummaryRow, summarise } from "./summary.ts";
import { POINT_FIELDS } from "./columns.ts";

export type { Row } from "./summary.ts";

export interface ReportData {
  title: string;
  objectives: string[];
  manifest: Record<string, unknown>;
  spec: Record<string, unknown>;
  frontier: Row[];
  sample: Row[];
  sensitivity: Row[];
  infeasible: Row[];
  calibration: Row[];
  /** workloads and systems in sweep order */
  workloads: string[];
  systems: string[];
  /** per workload and objective: the best system and its margin over the runner-up (summary.ts) */
  summary: SummaryRow[];
  /** what the runner-up margins are computed from, in words */
  summaryBasis: string;
}

/**
 * Numeric-looking CSV fields become numbers; empty fields stay empty strings. `fields`: only these columns, in this
 * order ("" for a column the file lacks).
 */
function readCsv(file: string, fields?: readonly string[]): Row[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, "utf8");
  if (!fields) return parseRows(text);
  return (
    plainColumns(text, fields) ??
    parseRows(text).map((r) => Object.fromEntries(fields.map((f) => [f, r[f] ?? ""])) as Row)
  );
}

const NUMERIC = /^-?[\d.]+(e[-+]?\d+)?$/i;
const fieldValue = (v: string): string | number => (v !== "" && NUMERIC.test(v) ? Number(v) : v);

function parseRows(text: string): Row[] {
  const fast = plainRows(text);
  if (fast) return fast;
  // csv-parse (its CommonJS build, loaded on use) only for a text the fast path does not read
  const { parse } = createRequire(import.meta.url)("csv-parse/sync") as typeof import("csv-parse/sync");
  const records = parse(text, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  return records.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, fieldValue(v)])));
}

/**
 * The rows of a CSV text without quotes or carriage returns (what recsweep writes, but for a label that needed
 * quoting), split at line feeds and commas: the records csv-parse reads from such a text, several times faster (a
 * run's report and summary each read sample.csv). Null for any other text, or a header with a repeated name or a
 * record whose field count is not the header's (csv-parse then reads it, or says what is wrong).
 */
function plainRows(text: string): Row[] | null {
  if (text.includes('"') || text.includes("\r")) return null;
  const lines = text.split("\n");
  let at = 0;
  while (at < lines.length && lines[at] === "") at++;
  if (at === lines.length) return [];
  const header = lines[at]!.split(",");
  if (new Set(header).size !== header.length) return null;
  const rows: Row[] = [];
  for (let i = at + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") continue; // skip_empty_lines
    const fields = line.split(",");
    if (fields.length !== header.length) return null;
    const row: Row = {};
    for (let k = 0; k < header.length; k++) row[header[k]!] = fieldValue(fields[k]!);
    rows.push(row);
  }
  return rows;
}

/**
 * plainRows' records, only the columns `fields` (in that order, "" where the header lacks one): a line's fields are
 * found with indexOf, and only the wanted ones become strings (sample.csv has ~50 columns, the report keeps 14).
 */
function plainColumns(text: string, fields: readonly string[]): Row[] | null {
  if (text.includes('"') || text.includes("\r")) return null;
  let at = 0;
  while (text.charCodeAt(at) === 10) at++;
  if (at >= text.length) return [];
  const eol = text.indexOf("\n", at);
  const header = text.slice(at, eol < 0 ? text.length : eol).split(",");
  if (new Set(header).size !== header.length) return null;
  const slot = new Int32Array(header.length).fill(-1);
  const present = fields.map((f, k) => {
    const c = header.indexOf(f);
    if (c >= 0) slot[c] = k;
    return c >= 0;
  });
  const values: string[] = new Array<string>(fields.length).fill("");
  const rows: Row[] = [];
  for (let s = eol < 0 ? text.length : eol + 1; s < text.length; ) {
    let e = text.indexOf("\n", s);
    if (e < 0) e = text.length;
    if (e === s) {
      s++;
      continue; // skip_empty_lines
    }
    let col = 0;
    for (let p = s; ; col++) {
      let q = text.indexOf(",", p);
      if (q < 0 || q > e) q = e;
      if (col < header.length && slot[col]! >= 0) values[slot[col]!] = text.slice(p, q);
      if (q === e) break;
      p = q + 1;
    }
    if (col + 1 !== header.length) return null;
    const row: Row = {};
    fields.forEach((f, k) => {
      row[f] = present[k] ? fieldValue(values[k]!) : "";
    });
    rows.push(row);
    s = e + 1;
  }
  return rows;
}

/** Throws unless the header of the CSV `file` names every column of `columns` (a damaged or foreign file). */
function requireColumns(file: string, columns: readonly string[]): void {
  const text = readFileSync(file, "utf8");
  const eol = text.indexOf("\n");
  const header = new Set((eol < 0 ? text : text.slice(0, eol)).split(",").map((h) => h.trim().replace(/^"|"$/g, "")));
  const missing = columns.filter((c) => !header.has(c));
  if (missing.length)
    throw new InputError(
      `${file}:1: header lacks column(s) ${missing.join(", ")} (expected the frontier.csv recsweep writes)`,
    );
}

const SAMPLE_FIELDS = ["index", ...POINT_FIELDS];

/**
 * sensitivity.csv's rows of the first `count` workloads of `workloads` (sweep order). The file holds each workload's
 * rows together, in sweep order, so they are the records before the first line that starts with the next workload's
 * label: only that prefix is parsed (a sweep of a million node designs writes hundreds of MB). A label that would be
 * quoted (a comma, quote or line break in it) is not searched for: the whole file is read then.
 */
function readSensitivityOf(file: string, workloads: readonly string[], count: number): Row[] {
  if (!existsSync(file)) return [];
  const next = workloads[count];
  // a label that needs quoting, or one an earlier workload shares: the whole file
  if (next === undefined || /[",\r\n]/.test(next) || workloads.indexOf(next) !== count) return readCsv(file);
  const prefix = bytesBefore(file, Buffer.from(`\n${next},`));
  return prefix === null ? readCsv(file) : parseRows(prefix.toString("utf8"));
}

/**
 * The bytes of `file` up to and including the first byte of `marker`'s first occurrence, read a few MB at a time
 * (sensitivity.csv can be hundreds of MB; the prefix a summary needs is a few); null when `marker` does not occur.
 */
export function bytesBefore(file: string, marker: Buffer, chunkBytes = 4 << 20): Buffer | null {
  const fd = openSync(file, "r");
  try {
    const chunks: Buffer[] = [];
    let read = 0;
    let tail = Buffer.alloc(0); // the previous chunk's last bytes: a marker may straddle two chunks
    for (;;) {
      const chunk = Buffer.allocUnsafe(chunkBytes);
      const n = readSync(fd, chunk, 0, chunk.length, read);
      if (n === 0) return null;
      const window = Buffer.concat([tail, chunk.subarray(0, n)]);
      const at = window.indexOf(marker);
      chunks.push(chunk.subarray(0, n));
      read += n;
      if (at >= 0) return Buffer.concat(chunks).subarray(0, read - n - tail.length + at + 1);
      tail = Buffer.from(window.subarray(Math.max(0, window.length - marker.length + 1)));
    }
  } finally {
    closeSync(fd);
  }
}

export interface ReadOptions {
  /** only the first `summaryWorkloads` workloads in `summary` (the CLI's end-of-run lines): reads less */
  summaryWorkloads?: number;
}

export function readRunFolder(dir: string, options: ReadOptions = {}): ReportData {
  const need = (f: string) => {
    const p = join(dir, f);
    if (!existsSync(p)) throw new InputError(`${dir}: no ${f} (expected a run folder written by recsweep run)`);
    return p;
  };
  const json = (f: string) => {
    try {
      return JSON.parse(readFileSync(need(f), "utf8")) as Record<string, unknown>;
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(
        `${join(dir, f)}: not valid JSON (${(e as Error).message.split("\n")[0]}; expected the ${f} recsweep writes)`,
      );
    }
  };
  const manifest = json("manifest.json");
  if (manifest.tool !== "recsweep" || typeof manifest.spec_name !== "string")
    throw new InputError(
      `${join(dir, "manifest.json")}: not a manifest written by recsweep (expected a run folder written by ` +
        "recsweep run or recsweep merge)",
    );
  const spec = json("spec.json");
  const objectives = Array.isArray(manifest.objectives) ? (manifest.objectives as string[]) : [];
  requireColumns(need("frontier.csv"), ["workload", "system", ...objectives.map((o) => objectiveInfo(o).column)]);
  const frontier = readCsv(need("frontier.csv"));
  const sample = readCsv(join(dir, "sample.csv"), SAMPLE_FIELDS);
  const axes = (manifest.axes ?? {}) as { workloads?: string[]; systems?: string[] };
  const only = options.summaryWorkloads;
  const sensitivity =
    only !== undefined && axes.workloads
      ? readSensitivityOf(join(dir, "sensitivity.csv"), axes.workloads, only)
      : readCsv(join(dir, "sensitivity.csv"));
  const allWorkloads = axes.workloads ?? [...new Set(frontier.map((r) => String(r.workload)))];
  const workloads = only === undefined ? allWorkloads : allWorkloads.slice(0, only);
  const inSummary = only === undefined ? () => true : (r: Row) => workloads.includes(String(r.workload));
  const systems = axes.systems ?? [...new Set(frontier.map((r) => String(r.system)))];
  // the runner-up is exact when the folder holds every feasible point: a sample that kept them all, or points.csv
  const whole = !manifest.shard;
  let others: Row[] = sample,
    complete = whole && sample.length === manifest.feasible;
  let summaryBasis = complete ? "every feasible point (sample.csv holds them all)" : "";
  if (!complete && whole && manifest.points_csv) {
    const bests = systemBests(join(dir, "points.csv"), objectives);
    if (bests && bests.count === manifest.feasible) {
      others = bests.rows;
      complete = true;
      summaryBasis = "every feasible point (points.csv)";
    }
  }
  if (!complete) {
    const sens = sensitivity.length ? `, with each system's best ${objectives[0]} from sensitivity.csv` : "";
    summaryBasis = `the frontier and a sample of ${sample.length} feasible points${sens}`;
  }
  return {
    title: String(manifest.spec_name ?? "recsweep run"),
    objectives,
    manifest,
    spec,
    frontier,
    sample,
    sensitivity,
    infeasible: readCsv(join(dir, "infeasible.csv")),
    calibration: readCsv(join(dir, "calibration.csv")),
    workloads: allWorkloads,
    systems,
    summary: summarise({
      objectives,
      workloads,
      systems,
      frontier: frontier.filter(inSummary),
      others: only === undefined ? others : others.filter(inSummary),
      complete,
      sensitivity,
    }),
    summaryBasis,
  };
}
