// recsweep catalog: lists catalog entries by kind and id.
import { loadCatalog } from "../catalog/load.ts";
import { CATALOG_KINDS } from "../schema/vocab.ts";
import { parse } from "./args.ts";

export const CATALOG_USAGE = `usage: recsweep catalog [--json] [--catalog DIR]

Lists the catalog's accelerators, cpus, links, nics, storage, systems, models and tco entries by id.
  --json          machine-readable: {"<kind>": ["<id>", ...], ...}
  --catalog DIR   include a user catalog folder`;

export async function catalogCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { json: { type: "boolean" }, catalog: { type: "string" } }, CATALOG_USAGE);
  if (values.help) {
    console.log(CATALOG_USAGE);
    return 0;
  }
  const cat = loadCatalog(values.catalog);
  const listing = Object.fromEntries(CATALOG_KINDS.map((k) => [k, [...cat[k].keys()].sort()]));
  if (values.json) {
    console.log(JSON.stringify(listing, null, 2));
    return 0;
  }
  for (const k of CATALOG_KINDS) {
    console.log(`${k} (${listing[k]!.length}):`);
    for (const id of listing[k]!) {
      const e = cat[k].get(id) as { name?: string };
      console.log(`  ${id}${e.name ? `  ${e.name}` : ""}`);
    }
  }
  return 0;
}
