// Writes one run folder: frontier.csv, points.csv, sample.csv, sensitivity.csv, infeasible.csv, manifest.json,
// spec.json, then the extras (calibration table, report) and run-info.json. Everything is written in a hidden
// partial folder beside the output and renamed into place only when complete; long sweeps checkpoint there so
// `--resume` can continue after an interruption to byte-identical outputs.
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { hostname, cpus } from "node:os";
import { join, resolve } from "node:path";
import { Merger, runSweep, type SweepResult } from "../engine/run.ts";
import type { RangeResult } from "../engine/score.ts";
import { INFEASIBLE_REASONS, NCOLS, REASON_TEXT } from "../model/result.ts";
import { InputError } from "../input/errors.ts";
import { TOOL_VERSION } from "../paths.ts";
import { PLACEMENTS, PRECISIONS } from "../schema/vocab.ts";
import { AXIS_NAMES, totalPoints, type Plan } from "../spec/plan.ts";
import { writeFileAtomic } from "./atomic.ts";
import { csvText } from "./csv.ts";
import { formatNumber, pointHeader, PointLines } from "./format.ts";
import { POINTS_ENCODER_URL } from "./points-encoder.ts";
import { mergerState, runState, stateToRange, type RunState } from "./state.ts";
import { checkState, readRunJson } from "./run-files.ts";
import { stageOut, type StagedOut } from "./safe-out.ts";

export interface RunOptions {
  outDir: string;
  workers: number;
  quiet: boolean;
  /** shard K of N: scores slice K of the index space */
  shard?: { k: number; n: number };
  /** continue from the checkpoint of an interrupted run of the same sweep */
  resume?: boolean;
  /** extra files for the run folder, written before it is committed (report, calibration table) */
  extras?: (dir: string, plan: Plan, result: SweepResult) => void | Promise<void>;
  crashAt?: number;
  hangAt?: number;
  /** replace a run folder of a different spec at outDir (--overwrite) */
  overwrite?: boolean;
  /** paths the output folder must not contain or replace (the spec file, the catalog folder) */
  protect?: string[];
}

export interface RunSummary { result: SweepResult; total: number; feasible: number; dir: string; seconds: number; resumed: "fresh" | "checkpoint" | "complete" }

export function shardRange(total: number, k: number, n: number): [number, number] {
  return [Math.floor((total * k) / n), Math.floor((total * (k + 1)) / n)];
}

/** Seconds between checkpoints of a long sweep (RECSWEEP_CHECKPOINT_S overrides, for tests). */
export function checkpointIntervalS(): number {
  const v = Number(process.env.RECSWEEP_CHECKPOINT_S);
  return Number.isFinite(v) && v > 0 ? v : 2;
}

interface Checkpoint extends InputHashes {
  range: [number, number];
  next_index: number; points_bytes: number; state: RunState;
}

export function manifestOf(plan: Plan, result: SweepResult, range: [number, number], shard?: { k: number; n: number }) {
  const feasible = result.reasonCounts[0]!;
  const infeasible: Record<string, number> = {};
  INFEASIBLE_REASONS.forEach((r, i) => { if (i > 0 && result.reasonCounts[i]! > 0) infeasible[r] = result.reasonCounts[i]!; });
  return {
    tool: "recsweep",
    tool_version: TOOL_VERSION,
    spec_name: plan.spec.name,
    spec_sha256: plan.specHash,
    catalog_sha256: plan.catalogHash,
    fit_sha256: plan.fitHash,
    objectives: plan.objectives,
    axes: {
      workloads: plan.workloads.map((w) => w.label),
      systems: plan.systems.map((s) => s.id),
      nodes: plan.nodes,
      placements: placementLabels(plan),
      batch_size: plan.batches,
      precision: plan.spec.training.precision ?? ["fp16"],
    },
    points_total: totalPoints(plan),
    ...(shard ? { shard: { index: shard.k, count: shard.n, start: range[0], end: range[1] } } : {}),
    points_scored: result.pointsScored,
    feasible,
    infeasible,
    frontier_size: result.frontier.length,
    points_csv: plan.writePoints,
  };
}

const placementLabels = (plan: Plan) => plan.placements.map((v) => (v.psNodes ? `${PLACEMENTS[v.placement]} (${v.psNodes} ps)` : PLACEMENTS[v.placement]!));

/** The input hashes a manifest or checkpoint records: the same sweep only if spec, catalog and fit all match. */
export interface InputHashes { spec_sha256: string; catalog_sha256: string; fit_sha256: string }
export const sameInputs = (h: InputHashes, plan: Plan) =>
  h.spec_sha256 === plan.specHash && h.catalog_sha256 === plan.catalogHash && h.fit_sha256 === plan.fitHash;

export async function writeRunFolder(plan: Plan, opts: RunOptions): Promise<RunSummary> {
  const t0 = performance.now();
  const total = totalPoints(plan);
  const range: [number, number] = opts.shard ? shardRange(total, opts.shard.k, opts.shard.n) : [0, total];
  const staged = stageOut(resolve(opts.outDir), { specName: plan.spec.name, resume: !!opts.resume, ...(opts.overwrite ? { overwrite: true } : {}), ...(opts.protect ? { protect: opts.protect } : {}) });
  try {
    return await writeStaged(plan, opts, staged, t0, total, range);
  } finally {
    staged.release();
  }
}

async function writeStaged(plan: Plan, opts: RunOptions, staged: StagedOut, t0: number, total: number, range: [number, number]): Promise<RunSummary> {
  const { target, partial, checkpoint } = staged;
  // --resume on a complete result of the same sweep: nothing to do.
  if (opts.resume && !staged.adopted && existsSync(join(target, "manifest.json"))) {
    const manifest = readRunJson(join(target, "manifest.json"), "manifest") as InputHashes;
    if (sameInputs(manifest, plan)) {
      return { result: new Merger(plan).result(1), total, feasible: 0, dir: target, seconds: 0, resumed: "complete" };
    }
  }

  const merger = new Merger(plan);
  let start = range[0];
  let pointsBytes = 0;
  let resumed: RunSummary["resumed"] = "fresh";
  const saved = staged.adopted && existsSync(checkpoint) ? readCheckpoint(checkpoint, plan) : null;
  const pointsKept = (cp: Checkpoint) => !plan.writePoints || (existsSync(join(partial, "points.csv")) && statSync(join(partial, "points.csv")).size >= cp.points_bytes);
  if (saved && sameInputs(saved, plan) && saved.range[0] === range[0] && saved.range[1] === range[1] && pointsKept(saved)) {
    merger.add(stateToRange(saved.state));
    start = saved.next_index;
    pointsBytes = saved.points_bytes;
    resumed = "checkpoint";
  } else if (staged.adopted) {
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
  }

  let pointsFd: number | null = null;
  try {
    if (plan.writePoints) {
      pointsFd = openSync(join(partial, "points.csv"), resumed === "checkpoint" ? "r+" : "w");
      if (resumed === "checkpoint") ftruncateSync(pointsFd, pointsBytes);
      else pointsBytes = writeSync(pointsFd, csvText([], pointHeader(plan)));
    }
    const writePoints = (r: RangeResult) => {
      if (pointsFd === null || !r.pointBytes || r.pointBytes.length === 0) return;
      pointsBytes += writeSync(pointsFd, r.pointBytes, 0, r.pointBytes.length, pointsBytes);
    };
    let lastCheckpoint = performance.now();
    const progress = progressPrinter(opts.quiet);
    await runSweep(plan, {
      workers: opts.workers, start, end: range[1], wantPoints: plan.writePoints, merger,
      ...(plan.writePoints ? { pointsEncoder: POINTS_ENCODER_URL } : {}),
      onProgress: (done) => progress(start - range[0] + done, range[1] - range[0]),
      onRange: writePoints,
      onCheckpoint: (m, next) => {
        if (performance.now() - lastCheckpoint < checkpointIntervalS() * 1000 || next >= range[1]) return;
        lastCheckpoint = performance.now();
        const cp: Checkpoint = { spec_sha256: plan.specHash, catalog_sha256: plan.catalogHash, fit_sha256: plan.fitHash, range, next_index: next, points_bytes: pointsBytes, state: mergerState(m, [range[0], next]) };
        writeFileAtomic(checkpoint, JSON.stringify(cp));
      },
      ...(opts.crashAt !== undefined ? { crashAt: opts.crashAt } : {}),
      ...(opts.hangAt !== undefined ? { hangAt: opts.hangAt } : {}),
    });
    progress.end();
    if (pointsFd !== null) { closeSync(pointsFd); pointsFd = null; }
    const result = merger.result(1);
    if (opts.shard) writeFileSync(join(partial, "shard.json"), JSON.stringify(runState(result, range)) + "\n");
    writeFrontierCsv(join(partial, "frontier.csv"), plan, result);
    writeInfeasibleCsv(join(partial, "infeasible.csv"), result);
    writeSampleCsv(join(partial, "sample.csv"), plan, result);
    writeSensitivityCsv(join(partial, "sensitivity.csv"), plan, result);
    writeFileSync(join(partial, "manifest.json"), JSON.stringify(manifestOf(plan, result, range, opts.shard), null, 2) + "\n");
    writeFileSync(join(partial, "spec.json"), JSON.stringify(plan.spec, null, 2) + "\n");
    await opts.extras?.(partial, plan, result);
    rmSync(checkpoint, { force: true });
    const seconds = (performance.now() - t0) / 1000;
    writeFileSync(join(partial, "run-info.json"), JSON.stringify({
      started_at: new Date(Date.now() - seconds * 1000).toISOString(),
      seconds: Number(seconds.toFixed(3)),
      points_per_s: Math.round((range[1] - start) / seconds),
      resumed_from_index: resumed === "checkpoint" ? start : null,
      workers: opts.workers,
      host: hostname(),
      cpus: cpus().length,
      node: process.version,
    }, null, 2) + "\n");
    staged.commit();
    return { result, total, feasible: result.reasonCounts[0]!, dir: target, seconds, resumed };
  } catch (e) {
    if (pointsFd !== null) closeSync(pointsFd);
    throw e; // the caller removes the staging folder: a failed run leaves nothing behind
  }
}

/** An interrupted run's checkpoint, validated: a corrupt one is a user error (exit 2), not an internal one. */
function readCheckpoint(file: string, plan: Plan): Checkpoint {
  const hint = "; run without --resume to start afresh";
  const cp = readRunJson(file, "checkpoint", hint) as Checkpoint;
  if (sameInputs(cp, plan)) checkState(cp.state, plan, file, hint);
  if (cp.next_index < cp.range[0] || cp.next_index > cp.range[1]) throw new InputError(`${file}: next_index ${cp.next_index} is outside its range (expected a checkpoint written by recsweep${hint})`);
  return cp;
}

/** Scored points (index and row each) as a CSV file with the columns of points.csv. */
function writePointsFile(file: string, plan: Plan, points: ReadonlyArray<{ index: number; row: Float64Array }>): void {
  const rows = new Float64Array(points.length * NCOLS);
  points.forEach((p, i) => rows.set(p.row, i * NCOLS));
  writeFileSync(file, csvText([], pointHeader(plan)) + new PointLines(plan).lines(points.map((p) => p.index), rows));
}

export function writeFrontierCsv(file: string, plan: Plan, result: SweepResult): void {
  writePointsFile(file, plan, result.frontier);
}

/** The plotting sample of feasible points (same columns as points.csv). */
export function writeSampleCsv(file: string, plan: Plan, result: SweepResult): void {
  writePointsFile(file, plan, result.sample);
}

/** Best first objective per workload along each swept axis: workload, axis, value, best. */
export function writeSensitivityCsv(file: string, plan: Plan, result: SweepResult): void {
  const values: string[][] = [
    plan.workloads.map((w) => w.label), plan.systems.map((s) => s.id), plan.nodes.map(String),
    placementLabels(plan), plan.batches.map(String), plan.precisions.map((p) => PRECISIONS[p]!),
  ];
  const width = values.reduce((a, v) => a + v.length, 0);
  const records: string[][] = [];
  plan.workloads.forEach((w, wi) => {
    let off = 0;
    AXIS_NAMES.forEach((axis, k) => {
      if (k > 0 && values[k]!.length > 1) {
        values[k]!.forEach((v, vi) => records.push([w.label, axis, v, formatNumber(result.axisBest[wi * width + off + vi]!)]));
      }
      off += values[k]!.length;
    });
  });
  writeFileSync(file, csvText(records, ["workload", "axis", "value", `best_${plan.objectives[0]}`]));
}

export function writeInfeasibleCsv(file: string, result: SweepResult): void {
  const records: string[][] = [];
  INFEASIBLE_REASONS.forEach((r, i) => {
    if (i > 0 && result.reasonCounts[i]! > 0) records.push([r, String(result.reasonCounts[i]), REASON_TEXT[r] ?? ""]);
  });
  writeFileSync(file, csvText(records, ["reason", "points", "meaning"]));
}

/** Progress on stderr: a redrawn line on a terminal, a plain line every few seconds otherwise. */
export function progressPrinter(quiet: boolean) {
  const t0 = performance.now();
  let last = 0;
  const tty = process.stderr.isTTY;
  const fn = (done: number, total: number) => {
    if (quiet) return;
    const now = performance.now();
    if (now - last < (tty ? 100 : 5000) && done < total) return;
    last = now;
    const secs = (now - t0) / 1000;
    const rate = done / Math.max(secs, 1e-9);
    const eta = rate > 0 ? (total - done) / rate : 0;
    const line = `recsweep: ${done}/${total} points (${((100 * done) / total).toFixed(1)}%), ${Math.round(rate)} points/s, ETA ${eta.toFixed(0)} s`;
    if (tty) process.stderr.write(`\r\x1b[2K${line}`);
    else process.stderr.write(line + "\n");
  };
  fn.end = () => { if (!quiet && tty) process.stderr.write("\n"); };
  return fn;
}
