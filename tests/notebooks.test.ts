// Executes the notebooks headless (Debian's jupyter-nbconvert, pandas, matplotlib) against a small run, and checks
// that the committed notebooks carry no outputs.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, FIXTURES, ROOT, tempDir } from "./helpers.ts";

const NOTEBOOKS = readdirSync(join(ROOT, "notebooks"))
  .filter((f) => f.endsWith(".ipynb"))
  .sort();

test("notebooks are committed without outputs and read run folders by relative paths", () => {
  assert.ok(NOTEBOOKS.length >= 2);
  for (const f of NOTEBOOKS) {
    const nb = JSON.parse(readFileSync(join(ROOT, "notebooks", f), "utf8")) as {
      nbformat: number;
      cells: Array<{ cell_type: string; outputs?: unknown[]; execution_count?: unknown; source: string | string[] }>;
    };
    assert.is(nb.nbformat, 4, f);
    for (const c of nb.cells)
      if (c.cell_type === "code") {
        assert.equal(c.outputs, [], f);
        assert.is(c.execution_count, null, f);
      }
    const src = nb.cells.map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source)).join("\n");
    assert.match(src, /os\.path\.join\("\.\.", "out", "default"\)/, f);
  }
});

const JUPYTER = "/usr/bin/jupyter";
if (!existsSync(JUPYTER)) {
  console.log(
    "skipped: install jupyter (Debian packages jupyter-nbconvert python3-nbclient python3-ipykernel python3-pandas python3-matplotlib)",
  );
} else {
  /** Runs every notebook as `jupyter nbconvert` from `cwd` (the caller's directory) with `env`; returns stdouts. */
  const execute = (cwd: string, env: Record<string, string>): string => {
    let text = "";
    for (const f of NOTEBOOKS) {
      const r = spawnSync(
        JUPYTER,
        ["nbconvert", "--to", "notebook", "--execute", "--stdout", join(ROOT, "notebooks", f)],
        {
          cwd,
          encoding: "utf8",
          env: { ...process.env, PWD: cwd, PYDEVD_DISABLE_FILE_VALIDATION: "1", ...env },
          timeout: 180000,
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      assert.is(r.status, 0, `${f}: ${r.stderr.slice(-2000)}`);
      text += r.stdout;
    }
    return text;
  };
  const FIGURES = [
    "notebook-frontier.png",
    "notebook-breakdown.png",
    "notebook-sensitivity.png",
    "notebook-calibration.png",
  ];

  test("every notebook executes headless against a run named relative to the caller's directory, figures beside it", () => {
    const caller = tempDir();
    const run = join(caller, "run");
    assert.is(cli(["run", join(FIXTURES, "tiny.yaml"), "--out", run, "--quiet"]).code, 0);
    const before = readdirSync(run).sort();
    execute(caller, { RECSWEEP_RUN: "run" });
    for (const png of FIGURES) assert.ok(existsSync(join(`${run}-figures`, png)), png);
    assert.equal(readdirSync(run).sort(), before, "the run folder is left as the run wrote it");
  });

  test("the notebooks say so, and do not fail, when a run has no feasible point", () => {
    const caller = tempDir();
    const spec = join(caller, "none.yaml");
    writeFileSync(
      spec,
      "schemaVersion: 1\nname: none\nsystems: [zion-like]\nnodes: [1]\nplacements: [hbm-table-wise]\n" +
        "models: [{ preset: deeprecsys-rmc1 }]\ntraining: { batch_size: [4096] }\ncost: { basis: cloud }\n",
    );
    const run = join(caller, "run");
    assert.is(cli(["run", spec, "--out", run, "--quiet"]).code, 0);
    assert.match(execute(caller, { RECSWEEP_RUN: "run" }), /no feasible point in/);
  });
}

test.run();
