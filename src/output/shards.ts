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

/** The points.csv of shards in index order, as one file's text pieces: the first with its header, then bodies. */
export function* shardPointsBodies(shards: readonly ShardFolder[]): Generator<string> {
  for (const [i, s] of shards.entries()) {
    const text = readFileSync(join(s.dir, "points.csv"), "utf8");
    yield i === 0 ? text : text.slice(text.indexOf("\n") + 1);
  }
}
