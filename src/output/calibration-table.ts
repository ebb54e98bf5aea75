// The predicted-vs-measured table of the committed fit, for the run folder (calibration.csv) and the report.
// `recsweep calibrate` stores the table beside the fit (hardware/fit/calibration-table.json) with a fingerprint of
// its inputs; a run copies it when the fingerprint still matches (calibration-stored.ts, without loading the
// calibration code) and computes it afresh here otherwise (~70 ms).
import { calibrationContext } from "../calibrate/context.ts";
import { readMeasurements } from "../calibrate/measurements.ts";
import { validateRows } from "../calibrate/validate.ts";
import type { ModelParams } from "../model/params.ts";
import { CALIBRATION_TABLE_FILE, MEASUREMENTS_FILE } from "../paths.ts";
import { writeFileAtomic } from "./atomic.ts";
import {
  CALIBRATION_COLUMNS,
  type CalibrationInputs,
  calibrationFingerprint,
  type StoredTable,
  storedCalibrationRecords,
} from "./calibration-stored.ts";

export { CALIBRATION_COLUMNS, type CalibrationInputs, calibrationFingerprint } from "./calibration-stored.ts";

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
  const stored = storedCalibrationRecords(inputs, file);
  return stored ? { records: stored, stored: true } : { records: calibrationRecords(inputs.params), stored: false };
}
