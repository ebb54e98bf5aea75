// A worker thread of refitAll (refits.ts): builds the calibration context once, then runs the refits it is given.
import { workerData } from "node:worker_threads";
import type { ModelParams } from "../model/params.ts";
import { calibrationContext } from "./context.ts";
import { refit, type RefitJob } from "./refits.ts";

const ctx = calibrationContext((workerData as { catalogDir?: string }).catalogDir);

export default function refitTask(job: RefitJob): ModelParams {
  return refit(job, ctx);
}
