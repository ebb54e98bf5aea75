// recsweep report DIR: rebuilds report.html from a run folder's files.
import { join, resolve } from "node:path";
import { InputError } from "../input/errors.ts";
import { writeFileAtomic } from "../output/atomic.ts";
import { outPathError } from "../output/out-target.ts";
import { readRunFolder } from "../report/data.ts";
import { reportHtml } from "../report/html.ts";
import { parse } from "./args.ts";

export const REPORT_USAGE = `usage: recsweep report DIR

Rebuilds DIR/report.html from the run folder's files (frontier.csv, sample.csv, sensitivity.csv,
infeasible.csv, calibration.csv, manifest.json, spec.json). The report opens offline from file://.`;

export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {}, REPORT_USAGE);
  if (values.help) {
    console.log(REPORT_USAGE);
    return 0;
  }
  if (positionals.length !== 1)
    throw new InputError(`report: expected one run folder, got ${positionals.length}\n\n${REPORT_USAGE}`);
  const dir = resolve(positionals[0]!);
  const html = reportHtml(readRunFolder(dir));
  try {
    writeFileAtomic(join(dir, "report.html"), html);
  } catch (e) {
    throw outPathError(join(dir, "report.html"), "write the report", e, "DIR");
  }
  console.log(`wrote ${join(dir, "report.html")}`);
  return 0;
}
