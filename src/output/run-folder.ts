// Writes one run folder: frontier.csv, points.csv (streamed), infeasible.csv, manifest.json, run-info.json,
// then the report (a separate layer, passed in). The folder appears only when complete.
import { createWriteStream, writeFileSync, type WriteStream } from "node:fs";
import { hostname, cpus } from "node:os";
import { join } from "node:path";
import { stringify } from "csv-stringify";
import { stringify as stringifySync } from "csv-stringify/sync";
import { runSweep, type SweepResult } from "../engine/run.ts";
import { INFEASIBLE_REASONS, NCOLS, REASON_TEXT } from "../model/result.ts";
import { TOOL_VERSION } from "../paths.ts";
import { AXIS_NAMES, totalPoints, type Plan } from "../spec/plan.ts";
import { PLACEMENTS, PRECISIONS } from "../schema/spec.ts";
import { stageFolder } from "./atomic.ts";
import { formatNumber, pointHeader, pointRecord } from "./format.ts";

export interface RunOptions {
  outDir: string;
  workers: number;
  quiet: boolean;
  /** shard K of N: scores slice K of the index space */
  shard?: { k: number; n: number };
  /** extra files for the run folder, written before it is committed (report, calibration table) */
  extras?: (dir: string, plan: Plan, result: SweepResult) => void | Promise<void>;
  crashAt?: number;
}

export interface RunSummary { result: SweepResult; total: number; feasible: number; dir: string; seconds: number }

export function shardRange(total: number, k: number, n: number): [number, number] {
  return [Math.floor((total * k) / n), Math.floor((total * (k + 1)) / n)];
}

async function writeLine(stream: ReturnType<typeof stringify>, record: string[]): Promise<void> {
  if (!stream.write(record)) await new Promise<void>((resolve) => stream.once("drain", resolve));
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
      placements: plan.placements.map((v) => (v.psNodes ? `${PLACEMENTS[v.placement]} (${v.psNodes} ps)` : PLACEMENTS[v.placement]!)),
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

export async function writeRunFolder(plan: Plan, opts: RunOptions): Promise<RunSummary> {
  const t0 = performance.now();
  const total = totalPoints(plan);
  const range: [number, number] = opts.shard ? shardRange(total, opts.shard.k, opts.shard.n) : [0, total];
  const staged = stageFolder(opts.outDir);
  let pointsFile: WriteStream | null = null;
  let pointsCsv: ReturnType<typeof stringify> | null = null;
  try {
    if (plan.writePoints) {
      pointsFile = createWriteStream(join(staged.dir, "points.csv"));
      pointsCsv = stringify({ header: true, columns: pointHeader(plan) });
      pointsCsv.pipe(pointsFile);
    }
    const progress = progressPrinter(opts.quiet);
    const result = await runSweep(plan, {
      workers: opts.workers,
      start: range[0],
      end: range[1],
      wantPoints: plan.writePoints,
      onProgress: progress,
      ...(opts.crashAt !== undefined ? { crashAt: opts.crashAt } : {}),
      onRange: pointsCsv
        ? async (r) => {
            for (let i = 0; i < r.pointIndex!.length; i++) await writeLine(pointsCsv!, pointRecord(plan, r.pointIndex![i]!, r.pointRows!, i));
          }
        : undefined,
    });
    progress.end();
    if (pointsCsv && pointsFile) {
      const closed = new Promise<void>((resolve, reject) => { pointsFile!.on("finish", resolve); pointsFile!.on("error", reject); });
      pointsCsv.end();
      await closed;
    }
    if (opts.shard) writeFileSync(join(staged.dir, "shard.json"), JSON.stringify(shardState(result, range)) + "\n");
    writeFrontierCsv(join(staged.dir, "frontier.csv"), plan, result);
    writeInfeasibleCsv(join(staged.dir, "infeasible.csv"), result);
    writeSampleCsv(join(staged.dir, "sample.csv"), plan, result);
    writeSensitivityCsv(join(staged.dir, "sensitivity.csv"), plan, result);
    writeFileSync(join(staged.dir, "manifest.json"), JSON.stringify(manifestOf(plan, result, range, opts.shard), null, 2) + "\n");
    writeFileSync(join(staged.dir, "spec.json"), JSON.stringify(plan.spec, null, 2) + "\n");
    await opts.extras?.(staged.dir, plan, result);
    const seconds = (performance.now() - t0) / 1000;
    writeFileSync(join(staged.dir, "run-info.json"), JSON.stringify({
      started_at: new Date(Date.now() - seconds * 1000).toISOString(),
      seconds: Number(seconds.toFixed(3)),
      points_per_s: Math.round(result.pointsScored / seconds),
      workers: result.workers,
      host: hostname(),
      cpus: cpus().length,
      node: process.version,
    }, null, 2) + "\n");
    staged.commit();
    return { result, total, feasible: result.reasonCounts[0]!, dir: opts.outDir, seconds };
  } catch (e) {
    pointsCsv?.destroy();
    pointsFile?.destroy();
    staged.abort();
    throw e;
  }
}

/** What `recsweep merge` needs from a shard, in full precision (JSON numbers round-trip exactly). */
export interface ShardState {
  range: [number, number];
  reasonCounts: number[];
  /** rows as JSON numbers; NaN is written as null */
  frontier: Array<{ index: number; row: Array<number | null> }>;
  best: Array<{ index: number; row: Array<number | null> } | null>;
  sample: Array<{ index: number; row: Array<number | null> }>;
  axisBest: Array<number | null>;
}

export function shardState(result: SweepResult, range: [number, number]): ShardState {
  return {
    range,
    reasonCounts: [...result.reasonCounts],
    frontier: result.frontier.map((p) => ({ index: p.index, row: [...p.row] })),
    best: result.best.map((b) => (b ? { index: b.index, row: [...b.row] } : null)),
    sample: result.sample.map((p) => ({ index: p.index, row: [...p.row] })),
    axisBest: [...result.axisBest],
  };
}

export function writeFrontierCsv(file: string, plan: Plan, result: SweepResult): void {
  const rows = new Float64Array(result.frontier.length * NCOLS);
  result.frontier.forEach((p, i) => rows.set(p.row, i * NCOLS));
  const records = result.frontier.map((p, i) => pointRecord(plan, p.index, rows, i));
  writeFileSync(file, stringifySync(records, { header: true, columns: pointHeader(plan) }));
}

/** The plotting sample of feasible points (same columns as points.csv). */
export function writeSampleCsv(file: string, plan: Plan, result: SweepResult): void {
  const rows = new Float64Array(result.sample.length * NCOLS);
  result.sample.forEach((p, i) => rows.set(p.row, i * NCOLS));
  writeFileSync(file, stringifySync(result.sample.map((p, i) => pointRecord(plan, p.index, rows, i)), { header: true, columns: pointHeader(plan) }));
}

/** Best first objective per workload along each swept axis: workload, axis, value, best. */
export function writeSensitivityCsv(file: string, plan: Plan, result: SweepResult): void {
  const names = AXIS_NAMES;
  const values: string[][] = [
    plan.workloads.map((w) => w.label), plan.systems.map((s) => s.id), plan.nodes.map(String),
    plan.placements.map((v) => (v.psNodes ? `${PLACEMENTS[v.placement]} (${v.psNodes} ps)` : PLACEMENTS[v.placement]!)),
    plan.batches.map(String), plan.precisions.map((p) => PRECISIONS[p]!),
  ];
  const width = values.reduce((a, v) => a + v.length, 0);
  const records: string[][] = [];
  plan.workloads.forEach((w, wi) => {
    let off = 0;
    names.forEach((axis, k) => {
      if (k > 0 && values[k]!.length > 1) {
        values[k]!.forEach((v, vi) => records.push([w.label, axis, v, formatNumber(result.axisBest[wi * width + off + vi]!)]));
      }
      off += values[k]!.length;
    });
  });
  writeFileSync(file, stringifySync(records, { header: true, columns: ["workload", "axis", "value", `best_${plan.objectives[0]}`] }));
}

export function writeInfeasibleCsv(file: string, result: SweepResult): void {
  const records: string[][] = [];
  INFEASIBLE_REASONS.forEach((r, i) => {
    if (i > 0 && result.reasonCounts[i]! > 0) records.push([r, String(result.reasonCounts[i]), REASON_TEXT[r] ?? ""]);
  });
  writeFileSync(file, stringifySync(records, { header: true, columns: ["reason", "points", "meaning"] }));
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
