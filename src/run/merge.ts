// recsweep merge's work: joins shard run folders (recsweep run --shard K/N) into the outputs one run of the whole
// sweep writes.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Merger, type SweepResult } from "../frontier/merge.ts";
import { InputError } from "../input/errors.ts";
import { manifestOf, sameInputs } from "../output/manifest.ts";
import { mergeParquetFiles } from "../output/parquet-merge.ts";
import { checkState } from "../output/run-files.ts";
import { readShard, shardPointsBodies } from "../output/shards.ts";
import { StagedFolder } from "../output/staged-folder.ts";
import { stateToRange } from "../output/state.ts";
import { writeResultTables } from "../output/tables.ts";
import { csvText } from "../output/csv.ts";
import { pointHeader } from "../output/format.ts";
import { frontierExtras } from "./robustness.ts";
import { elasticityCsv } from "./sweep.ts";
import { totalPoints } from "../space/space.ts";
import type { Plan } from "../spec/plan.ts";
import { loadSpec } from "../spec/resolve.ts";
import { writeRunExtras } from "./execute.ts";

export interface MergeOptions {
  outDir: string;
  catalogDir?: string;
  /** replace a run folder of a different spec at outDir (--overwrite) */
  overwrite?: boolean;
}

export async function mergeShards(dirs: string[], opts: MergeOptions): Promise<{ plan: Plan; result: SweepResult }> {
  if (dirs.length === 0)
    throw new InputError("merge: no shard folders given (expected recsweep merge DIR... --out DIR)");
  const shards = dirs.map(readShard).sort((a, b) => a.state.range[0] - b.state.range[0]);
  const first = shards[0]!;
  for (const s of shards) {
    for (const key of ["spec_sha256", "catalog_sha256", "fit_sha256"] as const) {
      if (s.manifest[key] !== first.manifest[key]) {
        throw new InputError(
          `${s.dir}: manifest ${key} differs from ${first.dir} (expected shards of one sweep, spec, catalog and fit)`,
        );
      }
    }
  }
  let next = 0;
  for (const [i, s] of shards.entries()) {
    const twin = shards.findIndex((o) => o.state.range[0] === s.state.range[0]);
    if (twin !== i)
      throw new InputError(
        `${s.dir}: covers the same points (${s.state.range[0]}..${s.state.range[1] - 1}) as ${shards[twin]!.dir} ` +
          "(expected each shard once)",
      );
    if (s.state.range[0] !== next) {
      throw new InputError(
        `${s.dir}: covers points ${s.state.range[0]}..${s.state.range[1] - 1} but ${next} was expected next ` +
          "(expected shards that tile the sweep, e.g. every K of --shard K/N)",
      );
    }
    next = s.state.range[1];
  }
  if (next !== first.manifest.points_total) {
    throw new InputError(
      `shards cover points 0..${next - 1} of ${first.manifest.points_total} (expected all shards of the sweep)`,
    );
  }
  const plan = loadSpec(join(first.dir, "spec.json"), opts.catalogDir).plan;
  if (totalPoints(plan) !== first.manifest.points_total) {
    throw new InputError(
      `${first.dir}: manifest.json says ${first.manifest.points_total} points but its spec.json has ` +
        `${totalPoints(plan)} (expected a shard folder as recsweep wrote it)`,
    );
  }
  for (const s of shards) {
    checkState(s.state, plan, join(s.dir, "shard.json"));
    if (plan.writePoints && !existsSync(join(s.dir, "points.csv"))) {
      throw new InputError(`${s.dir}: no points.csv (expected a folder written by recsweep run --shard K/N)`);
    }
    if (plan.writeParquet && !existsSync(join(s.dir, "points.parquet"))) {
      throw new InputError(`${s.dir}: no points.parquet (expected a folder written by recsweep run --shard K/N)`);
    }
  }
  if (!sameInputs(first.manifest, plan)) {
    throw new InputError(
      `${first.dir}: written with another catalog or fit than this installation's (expected the same catalog and ` +
        "hardware/fit/fit.json; pass --catalog if the shards used one)",
    );
  }
  const merger = new Merger(plan);
  for (const s of shards) merger.add(stateToRange(s.state));
  const result = merger.result(1);
  const folder = new StagedFolder(opts.outDir, {
    specName: plan.spec.name,
    ...(opts.overwrite ? { overwrite: true } : {}),
    protect: shards.map((s) => s.dir),
  });
  try {
    // Shards hold consecutive index ranges in index order: their points.csv bodies concatenate to the whole.
    if (plan.writePoints)
      await folder.writePieces("points.csv", shardPointsBodies(shards, csvText([], pointHeader(plan))));
    // ... and their points.parquet row groups too
    if (plan.writeParquet)
      mergeParquetFiles(
        shards.map((s) => join(s.dir, "points.parquet")),
        join(folder.dir, "points.parquet"),
        plan,
      );
    writeResultTables(folder.dir, plan, result, frontierExtras(plan, result));
    folder.writeText("elasticity.csv", elasticityCsv(plan, result));
    folder.writeJson("manifest.json", manifestOf(plan, result, [0, totalPoints(plan)]));
    folder.writeJson("spec.json", plan.spec);
    await writeRunExtras(folder.dir, plan);
    folder.writeJson("run-info.json", { merged_from: shards.map((s) => s.dir), shards: shards.length });
    folder.commit();
  } finally {
    folder.release();
  }
  return { plan, result };
}
