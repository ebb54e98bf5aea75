// The predicted-vs-measured table of the committed fit, for the run folder (calibration.csv) and the report.
// `recsweep calibrate` stores the table beside the fit (hardware/fit/calibration-table.json) with a fingerprint of
// its inputs; a run copies it when the fingerprint still matches and computes it afresh otherwise (~70 ms).
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { createHash } from "node:crypto";
import { calibrationContext } from "../calibrate/context.ts";
import { readMeasurements } from "../calibrate/measurements.ts";
import { validateRows } from "../calibrate/validate.ts";
import type { ModelParams } from "../model/params.ts";
import { CALIBRATION_TABLE_FILE, MEASUREMENTS_FILE } from "../paths.ts";
import { writeFileAtomic } from "./atomic.ts";
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

export function calibrationRecords(params: ModelParams): string[][] {
  const rows = readMeasurements(MEASUREMENTS_FILE);
  const ctx = calibrationContext();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return validateRows(rows, ctx.cat, params, ctx.tco, ctx.psNode)
    .filter((v) => !v.status.startsWith("unsupported"))
    .map((v) => {
      const r = byId.get(v.id)!;
      return [
        v.id,
        v.metric,
        v.accelerator,
        r.model,
        r.nodes,
        r.framework,
        String(v.measured),
        v.predicted === null ? "" : String(v.predicted),
        v.error_pct === null ? "" : String(v.error_pct),
        v.status,
      ];
    });
}

/** sha256 over the fit's and the catalog's hashes and the measurement file's bytes. */
export function calibrationFingerprint(inputs: CalibrationInputs): string {
  const measurements = createHash("sha256").update(readFileSync(MEASUREMENTS_FILE)).digest("hex");
  return createHash("sha256").update(`${inputs.fitHash}\n${inputs.catalogHash}\n${measurements}\n`).digest("hex");
}

interface StoredTable {
  source: string;
  inputs_sha256: string;
  columns: string[];
  records: string[][];
}

/** Written by `recsweep calibrate` after the fit: the table of that fit, with its inputs' fingerprint. */
export function storeCalibrationTable(inputs: CalibrationInputs, file = CALIBRATION_TABLE_FILE): void {
  const stored: StoredTable = {
    source:
      "computed by `recsweep calibrate`: the fit in hardware/fit/fit.json predicting every row of " +
      "hardware/measurements/measurements.csv (each row names its published source); inputs_sha256 fingerprints " +
      "fit, catalog and measurements",
    inputs_sha256: calibrationFingerprint(inputs),
    columns: CALIBRATION_COLUMNS,
    records: calibrationRecords(inputs.params),
  };
  writeFileAtomic(file, `${JSON.stringify(stored)}\n`);
}

/** The table for these inputs: the stored one if it was computed from the same inputs, else a fresh one. */
export function calibrationTable(
  inputs: CalibrationInputs,
  file = CALIBRATION_TABLE_FILE,
): { records: string[][]; stored: boolean } {
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, "utf8")) as StoredTable;
    if (stored.inputs_sha256 === calibrationFingerprint(inputs)) return { records: stored.records, stored: true };
  }
  return { records: calibrationRecords(inputs.params), stored: false };
}

export function writeCalibrationCsv(file: string, inputs: CalibrationInputs): void {
  writeFileSync(file, csvText(calibrationTable(inputs).records, CALIBRATION_COLUMNS));
}
