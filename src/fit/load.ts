// Reads the committed fit (hardware/fit/fit.json). Without one, the model runs on its prior parameters.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { IntervalsFile } from "../model/intervals.ts";
import { PRIOR_PARAMS, type ModelParams } from "../model/params.ts";
import { FIT_FILE, INTERVALS_FILE } from "../paths.ts";

export interface FitFile {
  params: ModelParams;
  provenance?: Record<string, unknown>;
}

export interface LoadedFit {
  params: ModelParams;
  hash: string;
  provenance: Record<string, unknown> | null;
  file: string | null;
  /** the interval model built beside this fit (intervals.json in the fit's folder), null when there is none */
  intervals: IntervalsFile | null;
}

export function loadFit(file = FIT_FILE): LoadedFit {
  if (!existsSync(file)) return { params: PRIOR_PARAMS, hash: "prior", provenance: null, file: null, intervals: null };
  const text = readFileSync(file, "utf8");
  const data = JSON.parse(text) as FitFile;
  return {
    params: { ...PRIOR_PARAMS, ...data.params, software: { ...PRIOR_PARAMS.software, ...data.params.software } },
    hash: createHash("sha256").update(text).digest("hex"),
    provenance: data.provenance ?? null,
    file,
    intervals: loadIntervals(join(dirname(file), basename(INTERVALS_FILE))),
  };
}

/**
 * The committed interval model (hardware/fit/intervals.json), or null when there is none: points then carry no
 * interval (empty fields). Bootstrap draws are completed with the prior for parameters a draw lacks.
 */
export function loadIntervals(file = INTERVALS_FILE): IntervalsFile | null {
  if (!existsSync(file)) return null;
  const data = JSON.parse(readFileSync(file, "utf8")) as IntervalsFile;
  const complete = (p: ModelParams): ModelParams => ({
    ...PRIOR_PARAMS,
    ...p,
    software: { ...PRIOR_PARAMS.software, ...p.software },
  });
  return { ...data, draws: data.draws.map(complete) };
}
