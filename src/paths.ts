// Where the installed project's data lives: found from this module's location, never from the working directory.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findProjectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "recsweep") return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error("recsweep: cannot find the project root (package.json named recsweep)");
    dir = up;
  }
}

export const PROJECT_ROOT = findProjectRoot();
export const HARDWARE_DIR = join(PROJECT_ROOT, "hardware");
export const FIT_FILE = join(HARDWARE_DIR, "fit", "fit.json");
/** prediction intervals and parameter draws built beside the fit (`recsweep calibrate --intervals`) */
export const INTERVALS_FILE = join(HARDWARE_DIR, "fit", "intervals.json");
/** the committed fit's predicted-vs-measured table, stored by `recsweep calibrate` */
export const CALIBRATION_TABLE_FILE = join(HARDWARE_DIR, "fit", "calibration-table.json");
export const MEASUREMENTS_FILE = join(HARDWARE_DIR, "measurements", "measurements.csv");
export const SCHEMA_DIR = join(PROJECT_ROOT, "schemas");
export const TOOL_VERSION = (
  JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string }
).version;
