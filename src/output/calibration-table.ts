// The predicted-vs-measured table of the committed fit, for the run folder (calibration.csv) and the report.
import { writeFileSync } from "node:fs";
import { stringify } from "csv-stringify/sync";
import { calibrationContext } from "../calibrate/context.ts";
import { readMeasurements } from "../calibrate/measurements.ts";
import { validateRows } from "../calibrate/validate.ts";
import type { ModelParams } from "../model/params.ts";
import { MEASUREMENTS_FILE } from "../paths.ts";

export const CALIBRATION_COLUMNS = ["id", "metric", "accelerator", "model", "nodes", "framework", "measured", "predicted", "error_pct", "status"];

export function calibrationRecords(params: ModelParams): string[][] {
  const rows = readMeasurements(MEASUREMENTS_FILE);
  const ctx = calibrationContext();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return validateRows(rows, ctx.cat, params, ctx.tco, ctx.psNode)
    .filter((v) => !v.status.startsWith("unsupported"))
    .map((v) => {
      const r = byId.get(v.id)!;
      return [v.id, v.metric, v.accelerator, r.model, r.nodes, r.framework, String(v.measured), v.predicted === null ? "" : String(v.predicted), v.error_pct === null ? "" : String(v.error_pct), v.status];
    });
}

export function writeCalibrationCsv(file: string, params: ModelParams): void {
  writeFileSync(file, stringify(calibrationRecords(params), { header: true, columns: CALIBRATION_COLUMNS }));
}
