// What the report shows, read from a run folder's files only (the report layer never calls the engine).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { InputError } from "../input/errors.ts";

export type Row = Record<string, string | number>;

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

const SAMPLE_FIELDS = [
  "index",
  "workload",
  "system",
  "nodes",
  "embedding_placement",
  "ps_nodes",
  "batch_size",
  "precision",
  "throughput_samples_per_s",
  "power_w",
  "cost_usd_per_hour",
  "samples_per_joule",
  "samples_per_usd",
  "bottleneck",
];

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
  return {
    title: String(manifest.spec_name ?? "recsweep run"),
    objectives: (manifest.objectives as string[]) ?? [],
    manifest,
    spec,
    frontier: readCsv(need("frontier.csv")),
    sample: readCsv(join(dir, "sample.csv")).map((r) => Object.fromEntries(SAMPLE_FIELDS.map((f) => [f, r[f] ?? ""]))),
    sensitivity: readCsv(join(dir, "sensitivity.csv")),
    infeasible: readCsv(join(dir, "infeasible.csv")),
    calibration: readCsv(join(dir, "calibration.csv")),
  };
}
