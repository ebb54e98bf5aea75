// The code's shape, checked: layer rules and import circles (dependency-cruiser, .dependency-cruiser.cjs), module
// size, line width, and test files whose tests all run.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT, tempDir } from "./helpers.ts";

const DEPCRUISE = join(ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");

function depcruise(cwd: string, config: string) {
  const r = spawnSync(process.execPath, [DEPCRUISE, "src", "--config", config, "--output-type", "err"], {
    cwd,
    encoding: "utf8",
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p, suffix) : p.endsWith(suffix) ? [p] : [];
  });
}

test("every import in src/ follows the layer rules and no import circle exists", () => {
  const r = depcruise(ROOT, ".dependency-cruiser.cjs");
  assert.is(r.code, 0, r.out);
});

test("the layer check fails on an output module that imports the engine, and on an import circle", () => {
  const dir = tempDir();
  for (const d of ["src/output", "src/engine", "src/model"]) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, "src/engine/hot.ts"), "export const hot = 1;\n");
  writeFileSync(join(dir, "src/output/bad.ts"), 'import { hot } from "../engine/hot.ts";\nexport const x = hot;\n');
  writeFileSync(join(dir, "src/model/a.ts"), 'import { b } from "./b.ts";\nexport const a = () => b;\n');
  writeFileSync(join(dir, "src/model/b.ts"), 'import { a } from "./a.ts";\nexport const b = () => a;\n');
  writeFileSync(join(dir, "tsconfig.json"), readFileSync(join(ROOT, "tsconfig.json")));
  const r = depcruise(dir, join(ROOT, ".dependency-cruiser.cjs"));
  assert.is.not(r.code, 0);
  assert.match(r.out, /layer-output/);
  assert.match(r.out, /no-circular/);
});

test("no module in src/ is over 300 lines and no line is over 120 characters", () => {
  const problems: string[] = [];
  for (const file of filesUnder(join(ROOT, "src"), ".ts")) {
    const lines = readFileSync(file, "utf8").split("\n");
    const name = relative(ROOT, file);
    if (lines.length > 300) problems.push(`${name}: ${lines.length} lines`);
    lines.forEach((l, i) => {
      if (l.length > 120) problems.push(`${name}:${i + 1}: ${l.length} characters`);
    });
  }
  assert.equal(problems, []);
});

test("every test file declares its tests before one run() call at its very end", () => {
  const problems: string[] = [];
  for (const file of filesUnder(join(ROOT, "tests"), ".test.ts")) {
    const text = readFileSync(file, "utf8");
    const runs = [...text.matchAll(/^\s*[\w.]*\.run\(\)/gm)];
    const last = text.trimEnd().split("\n").at(-1) ?? "";
    if (runs.length !== 1 || !/^[\w.]*\.run\(\);?$/.test(last.trim())) {
      problems.push(`${relative(ROOT, file)}: ${runs.length} run() call(s), last line '${last.trim()}'`);
    }
  }
  assert.equal(problems, []);
});

test.run();
