// What the report shows, read from a run folder's files only (the report layer never calls the engine).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { InputError } from "../input/errors.ts";
import { systemBests } from "./points-bests.ts";
import { type Row, type SummaryRow, summarise } from "./summary.ts";
import { POINT_FIELDS } from "./columns.ts";

export type { Row } from "./summary.ts";

export interface ReportData {
  title: string;
  objectives: string[];
  manifest: Record<string, unknown>;
  spec: Record<string, unknown>;
  frontier: Row[];
  sample: Row[];
  sensitivity: Row[];
  infeasible: Row[];
  calibration: Row[];
  /** workloads and systems in sweep order */
  workloads: string[];
  systems: string[];
  /** per workload and objective: the best system and its margin over the runner-up (summary.ts) */
  summary: SummaryRow[];
  /** what the runner-up margins are computed from, in words */
  summaryBasis: string;
}

/** Numeric-looking CSV fields become numbers; empty fields stay empty strings. */
function readCsv(file: string): Row[] {
  if (!existsSync(file)) return [];
  const records = parse(readFileSync(file, "utf8"), { columns: true, skip_empty_lines: true }) as Array<
    Record<string, string>
  >;
  return records.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [k, v !== "" && /^-?[\d.]+(e[-+]?\d+)?$/i.test(v) ? Number(v) : v]),
    ),
  );
}

const SAMPLE_FIELDS = ["index", ...POINT_FIELDS];

export function readRunFolder(dir: string): ReportData {
  const need = (f: string) => {
    const p = join(dir, f);
    if (!existsSync(p)) throw new InputError(`${dir}: no ${f} (expected a run folder written by recsweep run)`);
    return p;
  };
  const json = (f: string) => {
    try {
      return JSON.parse(readFileSync(need(f), "utf8")) as Record<string, unknown>;
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(
        `${join(dir, f)}: not valid JSON (${(e as Error).message.split("\n")[0]}; expected the ${f} recsweep writes)`,
      );
    }
  };
  const manifest = json("manifest.json");
  const spec = json("spec.json");
  const objectives = (manifest.objectives as string[]) ?? [];
  const frontier = readCsv(need("frontier.csv"));
  const sample = readCsv(join(dir, "sample.csv")).map((r) =>
    Object.fromEntries(SAMPLE_FIELDS.map((f) => [f, r[f] ?? ""])),
  );
  const sensitivity = readCsv(join(dir, "sensitivity.csv"));
  const axes = (manifest.axes ?? {}) as { workloads?: string[]; systems?: string[] };
  const workloads = axes.workloads ?? [...new Set(frontier.map((r) => String(r.workload)))];
  const systems = axes.systems ?? [...new Set(frontier.map((r) => String(r.system)))];
  // the runner-up is exact when the folder holds every feasible point: a sample that kept them all, or points.csv
  const whole = !manifest.shard;
  let others: Row[] = sample,
    complete = whole && sample.length === manifest.feasible;
  let summaryBasis = complete ? "every feasible point (sample.csv holds them all)" : "";
  if (!complete && whole && manifest.points_csv) {
    const bests = systemBests(join(dir, "points.csv"), objectives);
    if (bests && bests.count === manifest.feasible) {
      others = bests.rows;
      complete = true;
      summaryBasis = "every feasible point (points.csv)";
    }
  }
  if (!complete) {
    const sens = sensitivity.length ? `, with each system's best ${objectives[0]} from sensitivity.csv` : "";
    summaryBasis = `the frontier and a sample of ${sample.length} feasible points${sens}`;
  }
  return {
    title: String(manifest.spec_name ?? "recsweep run"),
    objectives,
    manifest,
    spec,
    frontier,
    sample,
    sensitivity,
    infeasible: readCsv(join(dir, "infeasible.csv")),
    calibration: readCsv(join(dir, "calibration.csv")),
    workloads,
    systems,
    summary: summarise({ objectives, workloads, systems, frontier, others, complete, sensitivity }),
    summaryBasis,
  };
}
