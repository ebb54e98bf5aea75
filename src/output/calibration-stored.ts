// The calibration table stored beside the fit (hardware/fit/calibration-table.json), read without the calibration
// code: a run whose fit, catalog and measurements are the ones the table was made from copies it into
// calibration.csv, and only otherwise loads calibration-table.ts (src/calibrate and its fit code: ~10 % of a small
// run's module loading) to compute it afresh.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { ModelParams } from "../model/params.ts";
import { CALIBRATION_TABLE_FILE, MEASUREMENTS_FILE } from "../paths.ts";
import { csvText } from "./csv.ts";

export const CALIBRATION_COLUMNS = [
  "id",
  "metric",
  "accelerator",
  "model",
  "nodes",
  "framework",
  "measured",
  "predicted",
  "error_pct",
  "status",
];

/** What the table depends on: the fit, the catalog and the measurements. */
export interface CalibrationInputs {
  params: ModelParams;
  fitHash: string;
  catalogHash: string;
}

/** The stored file: its records (CALIBRATION_COLUMNS, as strings) and the fingerprint of their inputs. */
export interface StoredTable {
  source: string;
  inputs_sha256: string;
  columns: string[];
  records: string[][];
}

/** sha256 over the fit's and the catalog's hashes and the measurement file's bytes. */
export function calibrationFingerprint(inputs: CalibrationInputs): string {
  const measurements = createHash("sha256").update(readFileSync(MEASUREMENTS_FILE)).digest("hex");
  return createHash("sha256").update(`${inputs.fitHash}\n${inputs.catalogHash}\n${measurements}\n`).digest("hex");
}

/** The stored table's records if they were computed from these inputs, else null. */
export function storedCalibrationRecords(inputs: CalibrationInputs, file = CALIBRATION_TABLE_FILE): string[][] | null {
  if (!existsSync(file)) return null;
  const stored = JSON.parse(readFileSync(file, "utf8")) as StoredTable;
  return stored.inputs_sha256 === calibrationFingerprint(inputs) ? stored.records : null;
}

/** Writes calibration.csv from `records` (the table of the fit in use). */
export function writeCalibrationRecords(file: string, records: readonly (readonly string[])[]): void {
  writeFileSync(file, csvText(records, CALIBRATION_COLUMNS));
}
