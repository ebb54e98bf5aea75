// npm test: type-check, then every uvu test file under tests/ (through tsx), then one summary line
// "N passed, N failed[, N skipped]". Tests that need a missing tool print "skipped: install X"; in CI (CI=true)
// any skip fails the run, so CI cannot go green without running them.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, NO_COLOR: "1" };
delete env.FORCE_COLOR;
const only = process.argv[2];

let failed = 0;
if (!only) {
  const tsc = spawnSync(
    process.execPath,
    [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.json")],
    { stdio: "inherit", env },
  );
  if (tsc.status !== 0) {
    console.log("typecheck: failed");
    failed += 1;
  }
}
const args = ["--import", "tsx", join(root, "node_modules/uvu/bin.js"), "tests", only ?? "\\.test\\.ts$"];
const run = spawnSync(process.execPath, args, { cwd: root, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
process.stdout.write(run.stdout);
process.stderr.write(run.stderr);
const num = (label) => Number((new RegExp(`${label}:\\s+(\\d+)`).exec(run.stdout) ?? [])[1] ?? NaN);
const total = num("Total"),
  passed = num("Passed");
const skipped = (run.stdout.match(/^skipped: /gm) ?? []).length;
if (!Number.isFinite(total) || total === 0) {
  console.log("no tests ran");
  failed += 1;
}
failed += Number.isFinite(total) ? total - passed : 0;
if (run.status !== 0 && failed === 0) failed = 1;
let ok = failed === 0;
if (process.env.CI === "true" && skipped > 0) {
  console.log(`CI: ${skipped} test group(s) skipped; CI installs every tool, so this is a failure`);
  ok = false;
}
console.log(`${Number.isFinite(passed) ? passed : 0} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(ok ? 0 : 1);
