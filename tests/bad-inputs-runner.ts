// Runs every bad input of tests/bad-inputs through the CLI in this one process (fast), capturing what a user sees.
// Prints one JSON line per case: {name, args, code, stderr, ms, outputCreated}.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli/main.ts";

const DIR = join(import.meta.dirname, "bad-inputs");
const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");
const tmp = mkdtempSync(join(tmpdir(), "recsweep-bad-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));

const cases: Array<{ name: string; args: string[]; out?: string }> = [];
for (const f of readdirSync(DIR).sort()) {
  const p = join(DIR, f);
  const out = join(tmp, `out-${f}`);
  if (f.startsWith("spec-")) cases.push({ name: f, args: ["run", p, "--out", out, "--quiet"], out });
  else if (f.startsWith("catalog-"))
    cases.push({ name: f, args: ["run", TINY, "--catalog", p, "--out", out, "--quiet"], out });
  else if (f.startsWith("measurements-")) cases.push({ name: f, args: ["validate", p] });
}
const big = join(tmp, "too-large.yaml");
writeFileSync(big, `schemaVersion: 1\n${"# padding\n".repeat(900000)}`);
cases.push({ name: "file-too-large", args: ["check", big] });
cases.push({ name: "directory-instead-of-file", args: ["check", DIR] });
cases.push({ name: "missing-file", args: ["check", join(DIR, "no-such-spec.yaml")] });
cases.push({ name: "missing-catalog-folder", args: ["check", TINY, "--catalog", join(DIR, "no-such-folder")] });
cases.push({ name: "catalog-is-a-file", args: ["check", TINY, "--catalog", TINY] });
cases.push({ name: "measurements-directory", args: ["validate", DIR] });

const original = console.error;
for (const c of cases) {
  let stderr = "";
  console.error = (...a: unknown[]) => {
    stderr += `${a.map(String).join(" ")}\n`;
  };
  const t = performance.now();
  let code: number;
  try {
    code = await main(c.args);
  } catch (e) {
    code = -1;
    stderr += `UNCAUGHT ${(e as Error).stack}`;
  }
  const ms = performance.now() - t;
  console.error = original;
  process.stdout.write(
    JSON.stringify({ name: c.name, args: c.args, code, stderr, ms, outputCreated: c.out ? existsSync(c.out) : false }) +
      "\n",
  );
}
