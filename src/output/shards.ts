// Reading the folders `recsweep run --shard K/N` writes: their manifest and merged state (shard.json).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../input/errors.ts";
import type { InputHashes } from "./manifest.ts";
import type { RunState } from "./state.ts";

export interface ShardFolder {
  dir: string;
  manifest: InputHashes & { points_total: number; shard?: { index: number; count: number } };
  state: RunState;
}

export function readShard(dir: string): ShardFolder {
  const need = (f: string) => {
    if (!existsSync(join(dir, f))) {
      throw new InputError(`${dir}: no ${f} (expected a folder written by recsweep run --shard K/N)`);
    }
    return readFileSync(join(dir, f), "utf8");
  };
  return { dir, manifest: JSON.parse(need("manifest.json")), state: JSON.parse(need("shard.json")) as RunState };
}

/** The points.csv of shards in index order, as one file's text pieces: the first with its header, then bodies. */
export function* shardPointsBodies(shards: readonly ShardFolder[]): Generator<string> {
  for (const [i, s] of shards.entries()) {
    const text = readFileSync(join(s.dir, "points.csv"), "utf8");
    yield i === 0 ? text : text.slice(text.indexOf("\n") + 1);
  }
}
