// Files a run folder gets beyond the engine's outputs. The report layer plugs in here.
import type { SweepResult } from "../engine/run.ts";
import type { Plan } from "../spec/plan.ts";

export async function writeRunExtras(_dir: string, _plan: Plan, _result: SweepResult): Promise<void> {
  // report.html and calibration.csv are added by their layers.
}
