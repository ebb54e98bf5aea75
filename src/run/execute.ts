// recsweep run's work, without the printing: scores a plan (or one shard of it) and writes its run folder, with
// checkpoints for --resume; the calibration table and the report are added before the folder is committed.
import { InputError } from "../input/errors.ts";
import { cpus, hostname } from "node:os";
import { join } from "node:path";
import { Merger, type SweepResult } from "../frontier/merge.ts";
import { storedCalibrationRecords, writeCalibrationRecords } from "../output/calibration-stored.ts";
import { csvText } from "../output/csv.ts";
import { pointHeader } from "../output/format.ts";
import { inputHashes, manifestOf, sameInputs } from "../output/manifest.ts";
import * as csvPoints from "../output/points-encoder.ts";
import { StagedFolder } from "../output/staged-folder.ts";
import { runStateJson, stateToRange } from "../output/state.ts";
import { writeResultTables } from "../output/tables.ts";
import { frontierExtras } from "./robustness.ts";
import { TopK } from "../output/top-k.ts";
import type { ReportData } from "../report/data.ts";
import { writeReport } from "../report/write.ts";
import { shardRange, totalPoints } from "../space/space.ts";
import type { Plan } from "../spec/plan.ts";
import { elasticityCsv, runSweep } from "./sweep.ts";

export interface RunOptions {
  outDir: string;
  workers: number;
  /** shard K of N: scores slice K of the index space */
  shard?: { k: number; n: number };
  /** continue from the checkpoint of an interrupted run of the same sweep */
  resume?: boolean;
  /** called as scoring advances: points done and points to do in this run */
  onProgress?: (done: number, total: number) => void;
  crashAt?: number;
  hangAt?: number;
  /** replace a run folder of a different spec at outDir (--overwrite) */
  overwrite?: boolean;
  /** paths the output folder must not contain or replace (the spec file, the catalog folder) */
  protect?: string[];
}

export interface RunSummary {
  result: SweepResult;
  total: number;
  feasible: number;
  dir: string;
  seconds: number;
  resumed: "fresh" | "checkpoint" | "complete";
  /** what report.html was made of (null without a report): the CLI's summary, without reading the folder again */
  report?: ReportData | null;
}

/** Seconds between checkpoints of a long sweep (RECSWEEP_CHECKPOINT_S overrides, for tests). */
export function checkpointIntervalS(): number {
  const v = Number(process.env.RECSWEEP_CHECKPOINT_S);
  return Number.isFinite(v) && v > 0 ? v : 2;
}

/** Files a run folder gets beyond the sweep's tables: the calibration table of the fit in use, and the report. */
export async function writeRunExtras(dir: string, plan: Plan): Promise<ReportData | null> {
  const inputs = { params: plan.params, fitHash: plan.fitHash, catalogHash: plan.catalogHash };
  // the calibration code is loaded only when the stored table is not the current fit's
  const records =
    storedCalibrationRecords(inputs) ??
    (await import("../output/calibration-table.ts")).calibrationTable(inputs).records;
  writeCalibrationRecords(join(dir, "calibration.csv"), records);
  // The report reads the files written so far: it goes last.
  return plan.writeReport ? writeReport(dir) : null;
}

export async function executeRun(plan: Plan, opts: RunOptions): Promise<RunSummary> {
  const t0 = performance.now();
  const total = totalPoints(plan);
  const range: [number, number] = opts.shard ? shardRange(total, opts.shard.k, opts.shard.n) : [0, total];
  const folder = new StagedFolder(opts.outDir, {
    specName: plan.spec.name,
    resume: !!opts.resume,
    ...(opts.overwrite ? { overwrite: true } : {}),
    ...(opts.protect ? { protect: opts.protect } : {}),
  });
  try {
    return await runInto(folder, plan, opts, t0, total, range);
  } finally {
    folder.release();
  }
}

async function runInto(
  folder: StagedFolder,
  plan: Plan,
  opts: RunOptions,
  t0: number,
  total: number,
  range: [number, number],
): Promise<RunSummary> {
  // --resume on a complete result of the same sweep: nothing to do.
  const complete = opts.resume ? folder.completeManifest() : null;
  if (complete && sameInputs(complete, plan)) {
    const empty = new Merger(plan).result(1);
    return { result: empty, total, feasible: 0, dir: folder.target, seconds: 0, resumed: "complete" };
  }

  const merger = new Merger(plan);
  let start = range[0];
  let resumeBytes: number | null = null;
  // points.parquet and top-k.csv are built in memory as the points pass: such a run resumes from its start
  const needRows = plan.writeParquet || plan.topK !== null;
  const saved = opts.resume && !needRows ? folder.readCheckpoint(plan) : null;
  const resumed =
    saved !== null && sameInputs(saved, plan) && saved.range[0] === range[0] && saved.range[1] === range[1];
  if (saved !== null && !resumed) {
    // --resume asked to continue that run: starting afresh would discard it, so it is kept and the run refused
    folder.keepInterrupted();
    throw new InputError(
      `${folder.target}: --resume: the interrupted run there has other inputs (spec, catalog, fit or shard) ` +
        "(expected the same spec and options as that run; without --resume a fresh run replaces it)",
    );
  }
  if (resumed) {
    merger.add(stateToRange(saved.state));
    start = saved.next_index;
    resumeBytes = saved.points_bytes;
  }
  folder.open(!resumed);

  try {
    if (plan.writePoints) folder.openPoints(csvText([], pointHeader(plan)), resumeBytes);
    // points.parquet: row groups encoded on the scoring threads (with points.csv's lines, when on), appended here
    // the Parquet writer is loaded only by runs that write Parquet (it is a tenth of a small run's start-up)
    const pq = plan.writeParquet ? await import("../output/parquet-encoder.ts") : null;
    const parquet = pq
      ? (await import("../output/points-parquet.ts")).PointsParquet.toFile(join(folder.dir, "points.parquet"), plan)
      : null;
    const topK = plan.topK !== null ? new TopK(plan, plan.topK) : null;
    let lastCheckpointMs = 0;
    let lastCheckpoint = performance.now();
    await runSweep(plan, {
      workers: opts.workers,
      start,
      end: range[1],
      wantPoints: plan.writePoints || needRows,
      prune: !!plan.prune,
      merger,
      ...(pq
        ? { pointsEncoder: pq.PARQUET_ENCODER_URL, pointsEncoderModule: pq, keepRows: topK !== null }
        : plan.writePoints
          ? { pointsEncoder: csvPoints.POINTS_ENCODER_URL, pointsEncoderModule: csvPoints, keepRows: topK !== null }
          : {}),
      onProgress: (done) => opts.onProgress?.(start - range[0] + done, range[1] - range[0]),
      onRange: (r) => {
        if (r.pointBytes && parquet && pq) {
          const { csv, group } = pq.decodeFrame(r.pointBytes);
          if (plan.writePoints) folder.appendPoints(csv);
          if (group) parquet.appendRowGroup(group);
        } else if (r.pointBytes) folder.appendPoints(r.pointBytes);
        if (r.pointIndex && r.pointRows) topK?.add(r.pointIndex, r.pointRows);
      },
      onCheckpoint: (m, next) => {
        // at most every checkpointIntervalS, and at most ~5 % of the run: a large space's state (bests per system
        // and axis value) takes a while to write, so its interval grows with the time the last one took
        const interval = Math.max(checkpointIntervalS() * 1000, 20 * lastCheckpointMs);
        if (performance.now() - lastCheckpoint < interval || next >= range[1]) return;
        const t0 = performance.now();
        folder.saveCheckpoint(
          { ...inputHashes(plan), range, next_index: next, points_bytes: folder.pointsSize },
          runStateJson(m.result(1), [range[0], next]),
        );
        lastCheckpoint = performance.now();
        lastCheckpointMs = lastCheckpoint - t0;
      },
      ...(opts.crashAt !== undefined ? { crashAt: opts.crashAt } : {}),
      ...(opts.hangAt !== undefined ? { hangAt: opts.hangAt } : {}),
    });
    folder.closePoints();
    parquet?.close();
    if (topK) folder.writeText("top-k.csv", topK.csv());
    const result = merger.result(1);
    if (opts.shard) folder.writeTextPieces("shard.json", [...runStateJson(result, range), "\n"]);
    // points.csv is complete here (every feasible point of the range): sample.csv may be a copy of it
    const pointsCsv = plan.writePoints ? join(folder.dir, "points.csv") : undefined;
    writeResultTables(folder.dir, plan, result, frontierExtras(plan, result), pointsCsv);
    folder.writeText("elasticity.csv", elasticityCsv(plan, result));
    folder.writeJson("manifest.json", manifestOf(plan, result, range, opts.shard));
    folder.writeJson("spec.json", plan.spec);
    const report = await writeRunExtras(folder.dir, plan);
    const seconds = (performance.now() - t0) / 1000;
    folder.writeJson("run-info.json", {
      started_at: new Date(Date.now() - seconds * 1000).toISOString(),
      seconds: Number(seconds.toFixed(3)),
      points_per_s: Math.round((range[1] - start) / seconds),
      resumed_from_index: resumed ? start : null,
      workers: opts.workers,
      host: hostname(),
      cpus: cpus().length,
      node: process.version,
      ...(plan.notes?.length ? { notes: plan.notes } : {}),
      pruning: pruningInfo(plan, result, range[1] - start),
    });
    folder.commit();
    const summary = { result, total, feasible: result.reasonCounts[0]!, dir: folder.target, seconds, report };
    return { ...summary, resumed: resumed ? "checkpoint" : "fresh" };
  } finally {
    folder.closePoints();
  }
}

/**
 * What pruning did, for run-info.json: the counts differ between a single run and shards (each prunes with its own
 * bounds) while the frontier cannot.
 */
function pruningInfo(plan: Plan, result: SweepResult, covered: number) {
  if (!plan.prune) return { on: false };
  return {
    on: true,
    points_covered: covered,
    points_scored: covered - result.boundedPoints,
    points_bounded_away: result.boundedPoints,
    why:
      "a group of node designs, a block (one workload on one node design), a node count and placement, or a batch " +
      "size is skipped when a point already scored beats its objectives' upper bounds (model/bounds.ts, " +
      "docs/cost-model.md section B) in every objective",
    exact: ["frontier.csv", "sample.csv"],
    scored_points_only: [
      "infeasible.csv",
      "infeasible-by-system.csv",
      "sensitivity.csv",
      "manifest.json feasible",
      "per-system bests",
    ],
  };
}
