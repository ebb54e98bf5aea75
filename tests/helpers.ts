// Test helpers: run the CLI as a user would, in a temporary folder.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { InputError } from "../src/input/errors.ts";
import { loadSpec } from "../src/spec/resolve.ts";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
/** tsx's loader by absolute URL, so tests can run the CLI from any working directory */
export const TSX = pathToFileURL(join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;
export const FIXTURES = join(ROOT, "tests", "fixtures");

/** Folders made by tempDir, removed when the test process exits (a full run makes hundreds, some of 300 MB). */
const made: string[] = [];
process.on("exit", () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = "recsweep-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** The environment for child processes: no colours, and without uvu's FORCE_COLOR (node warns about both). */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...extra };
  delete env.FORCE_COLOR;
  return env;
}

/** The command line that runs `recsweep ARGS` from the TypeScript sources. */
export const cliCommand = (args: string[]) => ["--import", TSX, join(ROOT, "tests", "cli-entry.ts"), ...args];

/** Runs `recsweep` through tsx from `cwd` (default: a fresh temp folder, not the project). */
export function cli(
  args: string[],
  cwd = tempDir(),
  extraEnv: Record<string, string> = {},
): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, cliCommand(args), {
    cwd,
    encoding: "utf8",
    env: childEnv(extraEnv),
    timeout: 120000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `recsweep` without waiting; for tests that interrupt it or run several at once. */
export function cliStart(args: string[], extraEnv: Record<string, string> = {}) {
  return spawn(process.execPath, cliCommand(args), { env: childEnv(extraEnv), stdio: "ignore" });
}

/** The problems loading a spec file reports (empty when it loads); `force` lifts the size limit. */
export function problemsOf(file: string, force = false): string[] {
  try {
    loadSpec(file, undefined, { force });
  } catch (e) {
    if (e instanceof InputError) return e.problems;
    throw e;
  }
  return [];
}
