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

export const MAX_MEASUREMENT_BYTES = 32 * 1024 * 1024;

/** Parses a measurement CSV; any file with these columns is accepted. Problems name file and line. */
export function readMeasurements(file: string): MeasurementRow[] {
  const text = readTextFile(file, MAX_MEASUREMENT_BYTES);
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
  } catch (e) {
    const err = e as { lines?: number; message: string };
    throw new InputError(
      `${file}:${err.lines ?? 1}: not valid CSV: ${err.message.split("\n")[0]} (expected RFC 4180 CSV with a header row)`,
    );
  }
  if (records.length === 0)
    throw new InputError(`${file}:1: empty file (expected a header row: ${MEASUREMENT_COLUMNS.join(",")})`);
  const header = records[0]!;
  const missing = MEASUREMENT_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length)
    throw new InputError(
      `${file}:1: header lacks column(s) ${missing.join(", ")} (expected the columns of hardware/measurements/README.md)`,
    );
  const problems: string[] = [];
  const rows: MeasurementRow[] = [];
  const seen = new Map<string, number>();
  records.slice(1).forEach((rec, i) => {
    const line = i + 2;
    if (rec.length !== header.length) {
      problems.push(`${file}:${line}: ${rec.length} fields (expected ${header.length}, as in the header)`);
      return;
    }
    const row = Object.fromEntries(header.map((h, k) => [h, rec[k]!.trim()])) as unknown as MeasurementRow;
    row.file = file;
    row.line = line;
    if (!row.id) problems.push(`${file}:${line}: id: empty (expected a row id such as M001)`);
    else if (seen.has(row.id))
      problems.push(
        `${file}:${line}: id: duplicate '${row.id}' (first on line ${seen.get(row.id)}; expected unique ids)`,
      );
    else seen.set(row.id, line);
    const value = Number(row.value);
    if (row.value === "" || !Number.isFinite(value) || value <= 0)
      problems.push(`${file}:${line}: value: '${row.value}' (expected a positive number)`);
    for (const c of ["accelerators_per_node", "nodes"] as const) {
      if (row[c] !== "" && !/^\d+$/.test(row[c]))
        problems.push(`${file}:${line}: ${c}: '${row[c]}' (expected a whole number)`);
    }
    if (!row.metric) problems.push(`${file}:${line}: metric: empty (expected e.g. throughput_samples_per_s)`);
    rows.push(row);
  });
  if (problems.length) throw new InputError(problems);
  return rows;
}
