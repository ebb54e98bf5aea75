// Test helpers: run the CLI as a user would, in a temporary folder.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
/** tsx's loader by absolute URL, so tests can run the CLI from any working directory */
export const TSX = pathToFileURL(join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;
export const FIXTURES = join(ROOT, "tests", "fixtures");

export function tempDir(prefix = "recsweep-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs `recsweep` through tsx from `cwd` (default: a fresh temp folder, not the project). */
export function cli(args: string[], cwd = tempDir()): { code: number; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.FORCE_COLOR; // uvu sets it; with NO_COLOR it makes node print a warning
  const r = spawnSync(process.execPath, ["--import", TSX, join(ROOT, "tests", "cli-entry.ts"), ...args], { cwd, encoding: "utf8", env, timeout: 120000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
