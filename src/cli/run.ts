// recsweep run <spec>: scores a sweep and writes its run folder.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { InputError } from "../input/errors.ts";
import { outArgument } from "../output/out-target.ts";
import { executeRun } from "../run/execute.ts";
import { defaultWorkers } from "../run/sweep.ts";
import { workloadSizeLines, workloadSizes } from "../spec/model-size.ts";
import { loadSpec } from "../spec/resolve.ts";
import { parse, positiveInt } from "./args.ts";
import { overrideLines, warningLines } from "./catalog-notes.ts";
import { progressPrinter } from "./progress.ts";
import { reportSummaryLines, runSummaryLines } from "./summary.ts";

export const RUN_USAGE =
  "usage: recsweep run <spec> [--out DIR] [--catalog DIR] [--workers N] [--shard K/N] [--quiet] [--force] " +
  `[--overwrite] [--resume]

Scores every point of the sweep spec and writes the run folder (default ./out/<spec name>/ in the current directory):
frontier.csv, points.csv, infeasible.csv, manifest.json, run-info.json, report.html.

  --out DIR       run folder (default: ./out/<spec name> under the current working directory); recsweep
                  replaces only its own run folder of the same spec there: it refuses a non-empty folder it did
                  not write, a file, the working directory or a folder holding the spec, and a second run into a
                  folder a run is writing
  --catalog DIR   extra catalog files (same schema as hardware/*.json) on top of the built-in catalog
  --workers N     worker threads (default: available cores; at most twice the available cores)
  --shard K/N     score only slice K (0..N-1) of N of the index space (merge shards with recsweep merge)
  --quiet         no progress line
  --force         run sweeps larger than the size limit
  --overwrite     replace a run folder of a different spec at --out
  --resume        continue an interrupted run from its checkpoint (outputs are identical to an uninterrupted
                  run); on a complete result, do nothing; with no checkpoint, start afresh`;

export { MAX_POINTS_WITHOUT_FORCE } from "../spec/size.ts";

/** Worker threads beyond this many only cost memory: twice the cores the process may use. */
export const maxWorkers = () => 2 * Math.max(1, availableParallelism());

/** --workers N, capped at maxWorkers() with a note on stderr; the default is the available cores. */
export function cappedWorkers(requested: number | undefined): number {
  if (requested === undefined) return defaultWorkers();
  if (requested > maxWorkers()) {
    console.error(
      `recsweep: --workers ${requested} is more than twice the ${availableParallelism()} available cores; using ` +
        `${maxWorkers()} worker threads`,
    );
    return maxWorkers();
  }
  return requested;
}

export function parseShard(v: string | undefined): { k: number; n: number } | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(v);
  if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2]))
    throw new InputError(`--shard: '${v}' (expected K/N with 0 <= K < N, e.g. --shard 0/4)`);
  return { k: Number(m[1]), n: Number(m[2]) };
}

export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      out: { type: "string" },
      catalog: { type: "string" },
      workers: { type: "string" },
      shard: { type: "string" },
      quiet: { type: "boolean" },
      force: { type: "boolean" },
      resume: { type: "boolean" },
      overwrite: { type: "boolean" },
      // test hooks for the robustness tests: a worker that dies, or hangs, on the point with this index
      "crash-at": { type: "string" },
      "hang-at": { type: "string" },
    },
    RUN_USAGE,
  );
  if (values.help) {
    console.log(RUN_USAGE);
    return 0;
  }
  if (positionals.length !== 1)
    throw new InputError(`run: expected one spec file, got ${positionals.length}\n\n${RUN_USAGE}`);
  // the size limit is checked from the spec before anything is expanded (spec/size.ts)
  const { plan, catalog, parsed } = loadSpec(positionals[0]!, values.catalog, { force: !!values.force });
  // said once, before scoring: the figures a --catalog file overrides and implausible figures (warnings)
  // said once, before scoring: the plan's notes (node designs scored once, assumptions about a user's own parts)
  const notes = (plan.notes ?? []).map((n) => `note: ${n}`);
  for (const line of [...overrideLines(catalog), ...notes, ...warningLines(catalog, parsed)]) console.error(line);
  const shard = parseShard(values.shard);
  // the user's working directory, not the tool's folder (npm start in the project still writes out/default/)
  const outDir = outArgument(values.out) ?? resolve(join("out", plan.spec.name));
  const workers = cappedWorkers(positiveInt(values.workers, "--workers"));
  const progress = progressPrinter(!!values.quiet);
  const summary = await executeRun(plan, {
    outDir,
    workers,
    resume: !!values.resume,
    onProgress: progress,
    overwrite: !!values.overwrite,
    protect: [resolve(positionals[0]!), ...(values.catalog ? [resolve(values.catalog)] : [])],
    ...(shard ? { shard } : {}),
    ...(values["crash-at"] !== undefined ? { crashAt: Number(values["crash-at"]) } : {}),
    ...(values["hang-at"] !== undefined ? { hangAt: Number(values["hang-at"]) } : {}),
  });
  progress.end();
  if (summary.resumed === "complete") {
    const what = "is already complete for this spec, catalog and fit; nothing to do";
    console.log(`recsweep run ${plan.spec.name}: ${summary.dir} ${what}`);
    return 0;
  }
  const r = summary.result;
  const resumed = summary.resumed === "checkpoint" ? " (resumed)" : "";
  // frontier.csv writes points with identical results as one row (README "An honest frontier"): say so when it does
  const rows = frontierRows(summary.dir);
  const distinct =
    rows !== null && rows < r.frontier.length
      ? `, ${rows} distinct result${rows === 1 ? "" : "s"} in frontier.csv`
      : "";
  console.log(
    `recsweep run ${plan.spec.name}${resumed}: ${r.pointsScored} points scored, ${summary.feasible} feasible, ` +
      `${r.frontier.length} on the frontier${distinct} (${summary.seconds.toFixed(2)} s)`,
  );
  console.log("model sizes (embedding weights at their precision; dense = MLP and DCNv2 cross-layer parameters):");
  for (const line of workloadSizeLines(workloadSizes(plan))) console.log(line);
  // per workload and objective, the winner and its margin: the report's summary table, from the run folder
  for (const line of summary.report ? reportSummaryLines(summary.report) : runSummaryLines(summary.dir))
    console.log(line);
  const files = readdirSync(summary.dir)
    .filter((f) => !f.startsWith("."))
    .sort();
  console.log(`results: ${summary.dir}/ (${files.join(", ")})`);
  return 0;
}

/** Data rows of a run folder's frontier.csv (one per line: its fields hold no line breaks), or null without one. */
function frontierRows(dir: string): number | null {
  const file = join(dir, "frontier.csv");
  if (!existsSync(file)) return null;
  const text = readFileSync(file, "utf8");
  return Math.max(0, text.split("\n").filter((l) => l.length > 0).length - 1);
}
