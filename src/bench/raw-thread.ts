// A worker thread for the bench: runs the raw loop over a range and reports its seconds.
import { parentPort, workerData } from "node:worker_threads";
import { loadSpec } from "../spec/resolve.ts";
import { rawLoopSeconds } from "./raw-loop.ts";

const { spec, range } = workerData as { spec: string; range: [number, number] };
parentPort!.postMessage(rawLoopSeconds(loadSpec(spec).plan, range[0], range[1]));
