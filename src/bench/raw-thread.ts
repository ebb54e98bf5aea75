// A worker thread for the bench: runs the raw loop over a range twice and reports the seconds of the second, warm
// pass, so `thread_scaling` compares warm code on one thread with warm code on two.
import { parentPort, workerData } from "node:worker_threads";
import { loadSpec } from "../spec/resolve.ts";
import { rawLoopSeconds } from "./raw-loop.ts";

const { spec, range } = workerData as { spec: string; range: [number, number] };
const { plan } = loadSpec(spec);
rawLoopSeconds(plan, range[0], range[1]);
parentPort!.postMessage(rawLoopSeconds(plan, range[0], range[1]));
