// Reads the committed fit (hardware/fit/fit.json). Without one, the model runs on its prior parameters.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { PRIOR_PARAMS, type ModelParams } from "../model/params.ts";
import { FIT_FILE } from "../paths.ts";

export interface FitFile {
  params: ModelParams;
  provenance?: Record<string, unknown>;
}

export interface LoadedFit {
  params: ModelParams;
  hash: string;
  provenance: Record<string, unknown> | null;
  file: string | null;
}

export function loadFit(file = FIT_FILE): LoadedFit {
  if (!existsSync(file)) return { params: PRIOR_PARAMS, hash: "prior", provenance: null, file: null };
  const text = readFileSync(file, "utf8");
  const data = JSON.parse(text) as FitFile;
  return {
    params: { ...PRIOR_PARAMS, ...data.params, software: { ...PRIOR_PARAMS.software, ...data.params.software } },
    hash: createHash("sha256").update(text).digest("hex"),
    provenance: data.provenance ?? null,
    file,
  };
}
