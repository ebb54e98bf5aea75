// Merges shard run folders (recsweep run --shard K/N) into the outputs one run of the whole sweep writes.
import { createWriteStream, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Merger, type SweepResult } from "../engine/run.ts";
import { InputError } from "../input/errors.ts";
import { loadSpec } from "../spec/resolve.ts";
import { totalPoints, type Plan } from "../spec/plan.ts";
import { manifestOf, sameInputs, writeFrontierCsv, writeInfeasibleCsv, writeSampleCsv, writeSensitivityCsv } from "./run-folder.ts";
import { checkState, readRunJson } from "./run-files.ts";
import { stageOut } from "./safe-out.ts";
import { stateToRange, type RunState } from "./state.ts";

interface Shard { dir: string; manifest: { spec_name: string; spec_sha256: string; catalog_sha256: string; fit_sha256: string; points_total: number; shard?: { index: number; count: number } }; state: RunState }

function readShard(dir: string): Shard {
  const need = (f: string) => {
    const file = join(dir, f);
    if (!existsSync(file)) throw new InputError(`${dir}: no ${f} (expected a folder written by recsweep run --shard K/N)`);
    return file;
  };
  const manifest = readRunJson(need("manifest.json"), "manifest") as Shard["manifest"];
  return { dir, manifest, state: readRunJson(need("shard.json"), "shard") as RunState };
}

export interface MergeOptions { outDir: string; catalogDir?: string; overwrite?: boolean; extras?: (dir: string, plan: Plan, result: SweepResult) => void | Promise<void> }

export async function mergeShards(dirs: string[], opts: MergeOptions): Promise<{ plan: Plan; result: SweepResult }> {
  if (dirs.length === 0) throw new InputError("merge: no shard folders given (expected recsweep merge DIR... --out DIR)");
  const shards = dirs.map(readShard).sort((a, b) => a.state.range[0] - b.state.range[0]);
  const first = shards[0]!;
  for (const s of shards) {
    for (const key of ["spec_sha256", "catalog_sha256", "fit_sha256"] as const) {
      if (s.manifest[key] !== first.manifest[key]) throw new InputError(`${s.dir}: manifest ${key} differs from ${first.dir} (expected shards of one sweep, spec, catalog and fit)`);
    }
  }
  let next = 0;
  for (const s of shards) {
    if (s.state.range[0] !== next) throw new InputError(`${s.dir}: covers points ${s.state.range[0]}..${s.state.range[1] - 1} but ${next} was expected next (expected shards that tile the sweep, e.g. every K of --shard K/N)`);
    next = s.state.range[1];
  }
  if (next !== first.manifest.points_total) throw new InputError(`shards cover points 0..${next - 1} of ${first.manifest.points_total} (expected all shards of the sweep)`);
  const plan = loadSpec(join(first.dir, "spec.json"), opts.catalogDir).plan;
  if (totalPoints(plan) !== first.manifest.points_total) throw new InputError(`${first.dir}: manifest.json says ${first.manifest.points_total} points but its spec.json has ${totalPoints(plan)} (expected a shard folder as recsweep wrote it)`);
  for (const s of shards) {
    checkState(s.state, plan, join(s.dir, "shard.json"));
    if (plan.writePoints && !existsSync(join(s.dir, "points.csv"))) throw new InputError(`${s.dir}: no points.csv (expected a folder written by recsweep run --shard K/N)`);
  }
  if (!sameInputs(first.manifest, plan)) {
    throw new InputError(`${first.dir}: written with another catalog or fit than this installation's (expected the same catalog and hardware/fit/fit.json; pass --catalog if the shards used one)`);
  }
  const merger = new Merger(plan);
  for (const s of shards) merger.add(stateToRange(s.state));
  const result = merger.result(1);
  const out = stageOut(resolve(opts.outDir), { specName: plan.spec.name, ...(opts.overwrite ? { overwrite: true } : {}), protect: shards.map((s) => s.dir) });
  const staged = { dir: out.partial, commit: () => out.commit() };
  try {
    if (plan.writePoints) {
      // Shards hold consecutive index ranges in index order: their points.csv bodies concatenate to the whole.
      const out = createWriteStream(join(staged.dir, "points.csv"));
      for (const [i, s] of shards.entries()) {
        const text = readFileSync(join(s.dir, "points.csv"), "utf8");
        const body = i === 0 ? text : text.slice(text.indexOf("\n") + 1);
        if (!out.write(body)) await new Promise<void>((r) => out.once("drain", r));
      }
      await new Promise<void>((resolve, reject) => { out.end(); out.on("finish", resolve); out.on("error", reject); });
    }
    writeFrontierCsv(join(staged.dir, "frontier.csv"), plan, result);
    writeInfeasibleCsv(join(staged.dir, "infeasible.csv"), result);
    writeSampleCsv(join(staged.dir, "sample.csv"), plan, result);
    writeSensitivityCsv(join(staged.dir, "sensitivity.csv"), plan, result);
    writeFileSync(join(staged.dir, "manifest.json"), JSON.stringify(manifestOf(plan, result, [0, totalPoints(plan)]), null, 2) + "\n");
    writeFileSync(join(staged.dir, "spec.json"), JSON.stringify(plan.spec, null, 2) + "\n");
    await opts.extras?.(staged.dir, plan, result);
    writeFileSync(join(staged.dir, "run-info.json"), JSON.stringify({ merged_from: shards.map((s) => s.dir), shards: shards.length }, null, 2) + "\n");
    staged.commit();
  } finally {
    out.release();
  }
  return { plan, result };
}
