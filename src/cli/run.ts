// recsweep run <spec>: scores a sweep and writes its run folder.
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../input/errors.ts";
import { PROJECT_ROOT } from "../paths.ts";
import { executeRun } from "../run/execute.ts";
import { defaultWorkers } from "../run/sweep.ts";
import { totalPoints } from "../space/space.ts";
import { loadSpec } from "../spec/resolve.ts";
import { parse, positiveInt } from "./args.ts";
import { progressPrinter } from "./progress.ts";
import { runSummaryLines } from "./summary.ts";

export const RUN_USAGE = `usage: recsweep run <spec> [--out DIR] [--catalog DIR] [--workers N] [--shard K/N] [--quiet] [--force]

Scores every point of the sweep spec and writes the run folder (default out/<spec name>/ in the project):
frontier.csv, points.csv, infeasible.csv, manifest.json, run-info.json, report.html.

  --out DIR       run folder (default: <project>/out/<spec name>)
  --catalog DIR   extra catalog files (same schema as hardware/*.json) on top of the built-in catalog
  --workers N     worker threads (default: available cores)
  --shard K/N     score only slice K (0..N-1) of N of the index space (merge shards with recsweep merge)
  --quiet         no progress line
  --force         run sweeps larger than the size limit
  --resume        continue an interrupted run from its checkpoint (outputs are identical to an uninterrupted
                  run); on a complete result, do nothing; with no checkpoint, start afresh`;

/** Sweeps above this many points (100 x sweeps/bench.yaml) need --force. */
export const MAX_POINTS_WITHOUT_FORCE = 1e9;

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
  const { plan } = loadSpec(positionals[0]!, values.catalog, {
    maxPoints: values.force ? Infinity : MAX_POINTS_WITHOUT_FORCE,
  });
  const total = totalPoints(plan);
  if (total > MAX_POINTS_WITHOUT_FORCE && !values.force) {
    throw new InputError(
      `${positionals[0]}: the sweep has ${total} points (expected at most ${MAX_POINTS_WITHOUT_FORCE} points; ` +
        "pass --force to run it anyway)",
    );
  }
  const shard = parseShard(values.shard);
  const outDir = resolve(values.out ?? join(PROJECT_ROOT, "out", plan.spec.name));
  const workers = positiveInt(values.workers, "--workers") ?? defaultWorkers();
  const progress = progressPrinter(!!values.quiet);
  const summary = await executeRun(plan, {
    outDir,
    workers,
    resume: !!values.resume,
    onProgress: progress,
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
  console.log(
    `recsweep run ${plan.spec.name}${resumed}: ${r.pointsScored} points scored, ${summary.feasible} feasible, ` +
      `${r.frontier.length} on the frontier (${summary.seconds.toFixed(2)} s)`,
  );
  // per workload and objective, the winner and its margin: the report's summary table, from the run folder
  for (const line of runSummaryLines(summary.dir)) console.log(line);
  const files = readdirSync(summary.dir)
    .filter((f) => !f.startsWith("."))
    .sort();
  console.log(`results: ${summary.dir}/ (${files.join(", ")})`);
  return 0;
}
