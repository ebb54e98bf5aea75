// recsweep merge DIR... --out DIR: merges shard folders into the outputs of one whole run.
import { resolve } from "node:path";
import { InputError } from "../input/errors.ts";
import { mergeShards } from "../run/merge.ts";
import { outArgument } from "../output/out-target.ts";
import { parse } from "./args.ts";

export const MERGE_USAGE = `usage: recsweep merge DIR... --out DIR [--catalog DIR] [--overwrite]

Merges the folders of recsweep run --shard K/N (all N shards of one sweep) into the outputs a single run
writes: frontier.csv, points.csv and manifest.json are byte-identical to an unsharded run. As with run, --out
may be a new or empty folder or a run folder of the same spec; --overwrite replaces a run folder of another spec.`;

export async function mergeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { out: { type: "string" }, catalog: { type: "string" }, overwrite: { type: "boolean" } },
    MERGE_USAGE,
  );
  if (values.help) {
    console.log(MERGE_USAGE);
    return 0;
  }
  if (values.out === undefined) throw new InputError(`merge: --out DIR is required\n\n${MERGE_USAGE}`);
  const { result } = await mergeShards(
    positionals.map((p) => resolve(p)),
    {
      outDir: outArgument(values.out)!,
      overwrite: !!values.overwrite,
      ...(values.catalog ? { catalogDir: values.catalog } : {}),
    },
  );
  console.log(
    `merged ${positionals.length} shard(s): ${result.pointsScored} points, ${result.reasonCounts[0]} feasible, ` +
      `${result.frontier.length} on the frontier -> ${values.out}`,
  );
  return 0;
}
