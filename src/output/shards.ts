// Reading the folders `recsweep run --shard K/N` writes: their manifest and merged state (shard.json).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../input/errors.ts";
import type { InputHashes } from "./manifest.ts";
import { readRunJson } from "./run-files.ts";
import type { RunState } from "./state.ts";

export interface ShardFolder {
  dir: string;
  manifest: InputHashes & { spec_name: string; points_total: number; shard?: { index: number; count: number } };
  state: RunState;
}

/** A shard folder's manifest and state, validated (a corrupt or foreign file is a user error naming it). */
export function readShard(dir: string): ShardFolder {
  const need = (f: string) => {
    const file = join(dir, f);
    if (!existsSync(file))
      throw new InputError(`${dir}: no ${f} (expected a folder written by recsweep run --shard K/N)`);
    return file;
  };
  const manifest = readRunJson(need("manifest.json"), "manifest") as ShardFolder["manifest"];
  return { dir, manifest, state: readRunJson(need("shard.json"), "shard") as RunState };
}

/**
 * The points.csv of shards in index order, as one file's text pieces: the first with its header, then bodies. Each
 * file must start with `headerLine` (the run's header, with its line feed) and hold one line per feasible point its
 * shard.json counts: a truncated or foreign file is a user error naming it, before its bytes reach the merge.
 */
export function* shardPointsBodies(shards: readonly ShardFolder[], headerLine: string): Generator<string> {
  for (const [i, s] of shards.entries()) {
    const file = join(s.dir, "points.csv");
    const text = readFileSync(file, "utf8");
    if (!text.startsWith(headerLine))
      throw new InputError(`${file}:1: not the header of this sweep's points.csv (expected the file recsweep wrote)`);
    let lines = 0;
    for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) lines++;
    const feasible = s.state.reasonCounts[0] ?? 0;
    if (lines - 1 !== feasible || !text.endsWith("\n"))
      throw new InputError(
        `${file}: ${lines - 1} complete point line(s) but shard.json counts ${feasible} feasible points ` +
          "(expected the complete points.csv recsweep wrote; a copy may be truncated)",
      );
    yield i === 0 ? text : text.slice(headerLine.length);
  }
}
