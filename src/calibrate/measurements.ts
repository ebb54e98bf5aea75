// Reads measurement files in the project's format (hardware/measurements/README.md): one measurement per row.
import { parse } from "csv-parse/sync";
import { InputError } from "../input/errors.ts";
import { readTextFile } from "../input/read.ts";

export const MEASUREMENT_COLUMNS = [
  "id",
  "trust",
  "accelerator",
  "accelerators_per_node",
  "host_cpu",
  "cpus_per_node",
  "host_memory_gb",
  "intra_node_fabric",
  "nic_gbit_per_s",
  "nics_per_node",
  "nodes",
  "model",
  "global_batch",
  "precision",
  "embedding_placement",
  "framework",
  "metric",
  "value",
  "unit",
  "derived_from",
  "includes_eval",
  "source",
  "notes",
] as const;
export type MeasurementRow = Record<(typeof MEASUREMENT_COLUMNS)[number], string> & { file: string; line: number };

/** The `trust` column's vocabulary (hardware/measurements/README.md, "Trust levels"); any case, or empty. */
export const TRUST_LEVELS = ["high", "medium", "low"];

/** `text` with characters outside printable ASCII as \u escapes: a zero-width space must not look like nothing. */
const visible = (text: string) =>
  text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

export const MAX_MEASUREMENT_BYTES = 32 * 1024 * 1024;

/** Plain decimals only: digits, an optional fraction and exponent; no hex, signs, digit separators or words. */
const PLAIN_DECIMAL = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const WHOLE = /^\d+$/;

/** Numeric columns: how each must be written; empty means the documented default where `optional`. */
const NUMERIC: Record<string, { whole: boolean; min: number; optional: boolean; expected: string }> = {
  value: { whole: false, min: 0, optional: false, expected: "a positive number" },
  accelerators_per_node: { whole: true, min: 0, optional: true, expected: "a whole number (0 for a CPU-only node)" },
  cpus_per_node: {
    whole: true,
    min: 1,
    optional: true,
    expected: "a whole number of at least 1, or empty for the default",
  },
  host_memory_gb: {
    whole: false,
    min: 0,
    optional: true,
    expected: "a positive number of GB, or empty for the default",
  },
  nic_gbit_per_s: { whole: false, min: 0, optional: true, expected: "a positive number of Gbit/s, or empty" },
  nics_per_node: {
    whole: true,
    min: 1,
    optional: true,
    expected: "a whole number of at least 1, or empty for the default",
  },
  nodes: { whole: true, min: 1, optional: true, expected: "a whole number of nodes, at least 1 (empty: 1)" },
  global_batch: {
    whole: true,
    min: 1,
    optional: true,
    expected: "a whole number of samples, at least 1, or empty for the default",
  },
};

/** What is wrong with a numeric field, or undefined. */
function numberProblem(raw: string, rule: (typeof NUMERIC)[string]): string | undefined {
  if (raw === "") return rule.optional ? undefined : "is empty";
  if (rule.whole ? !WHOLE.test(raw) : !PLAIN_DECIMAL.test(raw)) {
    if (/^[-+]?0[xXoObB]/.test(raw)) return "is not a plain decimal number (hex, octal and binary are not read)";
    if (/\d[_,' ]\d/.test(raw)) return "is not a plain decimal number (no digit separators)";
    if (/^-/.test(raw)) return "is negative";
    return rule.whole ? "is not a whole number" : "is not a number";
  }
  const v = Number(raw);
  if (!Number.isFinite(v)) return "is too large";
  if (rule.min === 0 ? !(v > 0) && !(rule.whole && v === 0) : v < rule.min)
    return v === 0 ? "is zero" : `is below ${rule.min}`;
  return undefined;
}

/** Reads and parses a measurement CSV; any file with these columns is accepted. Problems name file and line. */
export function readMeasurements(file: string): MeasurementRow[] {
  return parseMeasurements(
    file,
    readTextFile(file, MAX_MEASUREMENT_BYTES, { expected: "a UTF-8 measurement CSV file" }),
  );
}

/**
 * Parses measurement CSV text. Every bad field is named with its physical line (a quoted field may span lines),
 * its row and its column; a duplicated column is refused.
 */
export function parseMeasurements(file: string, written: string): MeasurementRow[] {
  // one line ending throughout: csv-parse takes the first record's ending for the file's, so a header ending in
  // CRLF before rows ending in LF (a file edited on two systems) read as one record (lines are counted the same); a
  // lone CR (old Mac files, or a stray one before a CRLF) ends a line too. A line of only spaces or tabs is empty.
  const text = written.replace(/\r\n?/g, "\n").replace(/^[ \t]+$/gm, "");
  let parsed: Array<{ record: string[]; info: { bytes: number; lines: number } }>;
  try {
    parsed = parse(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
      info: true,
    }) as unknown as typeof parsed;
  } catch (e) {
    const err = e as { lines?: number; message: string };
    throw new InputError(
      `${file}:${err.lines ?? 1}: not valid CSV: ${err.message.split("\n")[0]} (expected RFC 4180 CSV with a header ` +
        "row)",
    );
  }
  if (parsed.length === 0)
    throw new InputError(`${file}:1: empty file (expected a header row: ${MEASUREMENT_COLUMNS.join(",")})`);
  // physical line where each record starts: the line after the previous record's end, past empty lines
  const bytes = Buffer.from(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, "utf8");
  const lineAt = (() => {
    let line = 1,
      pos = 0;
    return (offset: number) => {
      for (; pos < offset && pos < bytes.length; pos++) if (bytes[pos] === 10) line++;
      return line;
    };
  })();
  const starts: number[] = [];
  let prevEnd = 0;
  for (const { info } of parsed) {
    let s = prevEnd;
    while (s < bytes.length && (bytes[s] === 10 || bytes[s] === 13)) s++;
    starts.push(lineAt(s));
    prevEnd = info.bytes;
  }
  const header = parsed[0]!.record.map((h) => h.trim());
  const problems: string[] = [];
  header.forEach((h, k) => {
    const first = header.indexOf(h);
    if (first !== k && h !== "")
      problems.push(
        `${file}:${starts[0]}: column ${k + 1} '${h}': duplicate column, the same name as column ${first + 1} ` +
          "(expected each column once)",
      );
  });
  const missing = MEASUREMENT_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length)
    problems.push(
      `${file}:${starts[0]}: header lacks column(s) ${missing.join(", ")} (expected the columns of ` +
        "hardware/measurements/README.md)",
    );
  if (problems.length) throw new InputError(problems);
  const rows: MeasurementRow[] = [];
  const seen = new Map<string, number>();
  parsed.slice(1).forEach(({ record: rec }, i) => {
    const line = starts[i + 1]!;
    const rowNo = i + 1;
    if (rec.length !== header.length) {
      problems.push(
        `${file}:${line}: row ${rowNo}: ${rec.length} fields (expected ${header.length}, as in the header)`,
      );
      return;
    }
    const row = Object.fromEntries(header.map((h, k) => [h, rec[k]!.trim()])) as unknown as MeasurementRow;
    row.file = file;
    row.line = line;
    // the physical line of field k: the record's first line plus the line breaks inside earlier fields
    const fieldLine = (k: number) => line + rec.slice(0, k).reduce((a, f) => a + (f.match(/\n/g)?.length ?? 0), 0);
    const at = (col: string) => `${file}:${fieldLine(header.indexOf(col))}: ${col}`;
    const inRow = `row ${rowNo}${row.id ? ` (id ${row.id})` : ""}`;
    if (!row.id) problems.push(`${at("id")}: empty in ${inRow} (expected a row id such as M001)`);
    else if (seen.has(row.id))
      problems.push(
        `${at("id")}: duplicate '${row.id}' in ${inRow} (first on line ${seen.get(row.id)}; expected unique ids)`,
      );
    else seen.set(row.id, line);
    for (const [col, rule] of Object.entries(NUMERIC)) {
      const raw = row[col as keyof MeasurementRow] as string;
      const pr = numberProblem(raw, rule);
      if (pr)
        problems.push(
          `${at(col)}: '${raw.length > 40 ? `${raw.slice(0, 40)}...` : raw}' in ${inRow} ${pr} (expected ` +
            `${rule.expected})`,
        );
    }
    if (row.trust && !TRUST_LEVELS.includes(row.trust.toLowerCase()))
      problems.push(
        `${at("trust")}: '${visible(row.trust)}' in ${inRow} (expected ${TRUST_LEVELS.join(", ")} or empty)`,
      );
    if (!row.metric) problems.push(`${at("metric")}: empty in ${inRow} (expected e.g. throughput_samples_per_s)`);
    rows.push(row);
  });
  if (problems.length) throw new InputError(problems);
  return rows;
}
