// Runs `recsweep run <spec> --out <dir> --quiet` through the CLI code and reports its wall time and peak RSS.
import { defaultWorkers } from "../run/sweep.ts";
import { main } from "../cli/main.ts";

const [spec, out, force] = process.argv.slice(2) as [string, string, string | undefined];
const t0 = performance.now();
const code = await main(["run", spec, "--out", out, "--quiet", ...(force === "--force" ? ["--force"] : [])]);
const seconds = (performance.now() - t0) / 1000;
if (code !== 0) process.exit(code);
console.log(JSON.stringify({ seconds, maxRssKb: process.resourceUsage().maxRSS, workers: defaultWorkers() }));
