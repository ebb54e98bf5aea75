// Files a run folder gets beyond the engine's outputs: the calibration table of the fit in use, and the report.
import { join } from "node:path";
import type { SweepResult } from "../engine/run.ts";
import { writeCalibrationCsv } from "../output/calibration-table.ts";
import type { Plan } from "../spec/plan.ts";
import { writeReport } from "../report/write.ts";

export async function writeRunExtras(dir: string, plan: Plan, _result: SweepResult): Promise<void> {
  writeCalibrationCsv(join(dir, "calibration.csv"), { params: plan.params, fitHash: plan.fitHash, catalogHash: plan.catalogHash });
  // The report reads the files written so far: it goes last.
  if (plan.writeReport) writeReport(dir);
}
