// Bounded everything, and limits however a value is written: the design-space size is checked from the spec before
// anything is expanded, files are read with a cap that does not trust stat, special files in a catalog folder are
// refused without blocking, --workers is capped; range ends obey the bounds list values obey; duplicates (systems,
// models, axis values, JSON keys) are refused with both positions.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync, execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { loadCatalog } from "../src/catalog/load.ts";
import { InputError } from "../src/input/errors.ts";
import { readTextFile } from "../src/input/read.ts";
import { loadSpec } from "../src/spec/resolve.ts";
import { totalPoints } from "../src/space/space.ts";
import { childEnv, cli, cliCommand, FIXTURES, tempDir } from "./helpers.ts";

const TINY_TEXT = readFileSync(join(FIXTURES, "tiny.yaml"), "utf8");

function specFile(text: string, ext = ".yaml"): string {
  const f = join(tempDir(), `spec${ext}`);
  writeFileSync(f, text);
  return f;
}

/** The message of the InputError loading `text` raises (fails the test on success or on another error). */
function refusal(text: string, ext = ".yaml", opts: { force?: boolean } = {}): string {
  try {
    loadSpec(specFile(text, ext), undefined, opts);
  } catch (e) {
    assert.instance(e, InputError, `not an InputError: ${(e as Error).stack}`);
    return (e as InputError).problems.join("\n");
  }
  assert.unreachable("the spec was accepted");
  return "";
}

const spec = (body: string) => `schemaVersion: 1\nname: t\n${body}`;
const BASE = {
  systems: "systems: [dgx-h100]",
  nodes: "nodes: [1, 2]",
  placements: "placements: [hbm-table-wise]",
  models: "models: [{ preset: dlrm-mlperf-v1 }]",
  training: "training: { batch_size: [65536] }",
};
const specWith = (over: Partial<typeof BASE>) => spec(`${Object.values({ ...BASE, ...over }).join("\n")}\n`);

test("model axes that multiply into a huge space are refused from the spec, before any workload is built", () => {
  const text = specWith({
    models:
      "models:\n  - preset: dlrm-mlperf-v1\n    sweep: { embedding_dim: {from: 1, to: 60000, steps: 10000, scale: linear}, pooling: {from: 1, to: 1000, steps: 10000, scale: linear}, mlp_width_scale: {from: 0.1, to: 100, steps: 10000, scale: log} }",
  });
  const heap = process.memoryUsage().heapUsed;
  const t = performance.now();
  for (const force of [false, true]) {
    const msg = refusal(text, ".yaml", { force });
    assert.match(
      msg,
      /models: the model axes give 1000000000000 workloads .* \(expected at most 100000 workloads, even with --force/,
    );
  }
  assert.ok(performance.now() - t < 5000, `${performance.now() - t} ms`);
  assert.ok(process.memoryUsage().heapUsed - heap < 300e6, "memory stays bounded");
});

test("a sweep above the size limit needs --force; the size counts model axes, ranges and remote-ps variants", () => {
  const text = specWith({
    nodes: "nodes: { from: 1, to: 1000000, scale: pow2 }",
    placements: "placements: [hbm-table-wise, remote-ps]\nps_nodes: { from: 1, to: 100, steps: 100, scale: linear }",
    models: "models: [{ preset: dlrm-mlperf-v1, sweep: { embedding_dim: [16, 32, 64, 128] } }]",
    training: "training: { batch_size: { from: 1024, to: 1048576, steps: 10000, scale: log } }",
  });
  // 4 workloads x 1 system x 20 node counts x 101 placement variants x 9924 distinct batch sizes: under the limit
  assert.is(totalPoints(loadSpec(specFile(text)).plan), 4 * 20 * 101 * 9924);
  const big = text.replace(
    "systems: [dgx-h100]",
    "systems: [dgx-h100, dgx-h200, dgx-a100-80gb, zion-like, big-basin-v100, cpu-skylake-2s, dgx-2h, mi300x-8, gaudi2-8, pcie-8x-h100, pcie-8x-l40s, hgx-h100-4gpu, dgx-1-v100]",
  );
  // the size counted from the spec is the plan's exact size
  assert.match(refusal(big), new RegExp(`the sweep has ${13 * 4 * 20 * 101 * 9924} points; .* pass --force`));
  const { plan } = loadSpec(specFile(big), undefined, { force: true });
  assert.is(totalPoints(plan), 13 * 4 * 20 * 101 * 9924);
});

for (const [what, over, re] of [
  [
    "a node range beyond the node limit",
    { nodes: "nodes: { from: 1, to: 1e15, scale: log }" },
    /nodes\.to: must be <= 1000000/,
  ],
  [
    "a node range starting below one node",
    { nodes: "nodes: { from: 0.4, to: 8, scale: linear }" },
    /nodes\.from: must be >= 1/,
  ],
  [
    "a batch range beyond the batch limit",
    { training: "training: { batch_size: { from: 1024, to: 1e15, scale: pow2 } }" },
    /training\.batch_size\.to: must be <= 1000000000/,
  ],
  [
    "a parameter-server range beyond its limit",
    { placements: "placements: [remote-ps]\nps_nodes: { from: 1, to: 1e9, steps: 3, scale: log }" },
    /ps_nodes\.to: must be <= 100000/,
  ],
  [
    "a model-axis range beyond its limit",
    {
      models:
        "models: [{ preset: dlrm-mlperf-v1, sweep: { embedding_dim: { from: 16, to: 1e7, steps: 3, scale: log } } }]",
    },
    /embedding_dim\.to: must be <= 65536/,
  ],
  ["a list value beyond the limit", { nodes: "nodes: [1, 1000001]" }, /nodes\[1\]: must be <= 1000000/],
] as const) {
  test(`${what} is refused like the same value in a list`, () => {
    assert.match(refusal(specWith(over)), re);
  });
}

test("every value a range produces lies within the limits, so no point gets a negative per-device batch", () => {
  const { plan } = loadSpec(
    specFile(
      specWith({
        nodes: "nodes: { from: 1, to: 1000000, steps: 7, scale: log }",
        training: "training: { batch_size: { from: 1, to: 1e9, steps: 9, scale: log } }",
      }),
    ),
  );
  assert.ok(
    plan.nodes.every((n) => Number.isInteger(n) && n >= 1 && n <= 1e6),
    String(plan.nodes),
  );
  assert.ok(
    plan.batches.every((b) => Number.isInteger(b) && b >= 1 && b <= 1e9),
    String(plan.batches),
  );
});

test("a value repeated in an axis list is refused, naming both positions", () => {
  const msg = refusal(specWith({ nodes: "nodes: [1, 2, 1]" }));
  assert.match(
    msg,
    /spec\.yaml:4:15: nodes\[2\]: duplicate value 1, the same as nodes\[0\] at .*spec\.yaml:4:9 \(expected each value once\)/,
  );
  assert.match(
    refusal(specWith({ models: "models: [{ preset: dlrm-mlperf-v1, sweep: { zipf_alpha: [1.1, 1.1] } }]" })),
    /zipf_alpha\[1\]: duplicate value 1\.1, the same as models\[0\]\.sweep\.zipf_alpha\[0\]/,
  );
});

test("the same system twice, or a composed system with a catalog id, is refused with both positions", () => {
  assert.match(
    refusal(specWith({ systems: "systems: [dgx-h100, zion-like, dgx-h100]" })),
    /:3:32: systems\[2\]: system 'dgx-h100' again \(first at systems\[0\], .*spec\.yaml:3:11; expected each system once\)/,
  );
  const compose =
    "compose: { accelerator: h100-sxm5-80gb, accelerators_per_node: 8, fabric: nvswitch3, host_cpu: xeon-platinum-8480c, cpu_sockets: 2, host_memory_gb: 2048, nic: cx7-ndr-400, nics_per_node: 8 }";
  const shadow = refusal(specWith({ systems: `systems:\n  - id: dgx-h100\n    ${compose}` }));
  assert.match(
    shadow,
    /systems\[0\]\.id: composed system id 'dgx-h100' is already a catalog system \(defined at .*hardware\/systems\.json:\d+:\d+;/,
  );
  assert.match(
    refusal(specWith({ systems: `systems:\n  - id: mine\n    ${compose}\n  - id: mine\n    ${compose}` })),
    /systems\[1\]\.id: system 'mine' again \(first at systems\[0\]/,
  );
});

test("the same model twice is refused with both positions; the same model with different axis values is not", () => {
  const msg = refusal(
    specWith({
      models: "models:\n  - preset: dlrm-mlperf-v1\n  - preset: deeprecsys-rmc1\n  - preset: dlrm-mlperf-v1",
    }),
  );
  assert.match(
    msg,
    /:9:5: models\[2\]: model 'dlrm-mlperf-v1' again: workload 'dlrm-mlperf-v1' is also given by models\[0\] at .*:7:5/,
  );
  const overlap = refusal(
    specWith({
      models:
        "models:\n  - { preset: dlrm-mlperf-v1, sweep: { embedding_dim: [32, 64] } }\n  - { preset: dlrm-mlperf-v1, sweep: { embedding_dim: [64, 128] } }",
    }),
  );
  assert.match(overlap, /workload 'dlrm-mlperf-v1 embedding_dim=64' is also given by models\[0\]/);
  loadSpec(
    specFile(
      specWith({
        models:
          "models:\n  - { preset: dlrm-mlperf-v1, sweep: { embedding_dim: [32] } }\n  - { preset: dlrm-mlperf-v1, sweep: { embedding_dim: [64] } }",
      }),
    ),
  );
});

test("a duplicate key in a JSON spec is refused with its position, as in YAML", () => {
  const json = `{"schemaVersion": 1, "name": "t", "systems": ["dgx-h100"], "nodes": [1],\n "placements": ["hbm-table-wise"], "models": [{"preset": "dlrm-mlperf-v1"}],\n "training": {"batch_size": [1024]}, "nodes": [1, 2, 4, 8]}`;
  assert.match(
    refusal(json, ".json"),
    /spec\.json:3:38: duplicate key 'nodes' \(first at .*spec\.json:1:\d+; expected each key once/,
  );
  const escaped = `{"schemaVersion": 1, "name": "t", "n\\u0061me": "u"}`;
  assert.match(refusal(escaped, ".json"), /duplicate key 'name' \(first at /);
});

test("a duplicate key in a JSON catalog file is refused with its position", () => {
  const dir = tempDir();
  writeFileSync(
    join(dir, "nics.json"),
    `{"nics": [{"id": "my-nic", "name": "n", "line_rate_gbit_per_s": 100, "line_rate_gbit_per_s": 400,\n "active_w": 20, "idle_w": 10, "sources": [{"ref": "r", "supports": "all"}]}]}`,
  );
  try {
    loadCatalog(dir);
    assert.unreachable("accepted");
  } catch (e) {
    assert.instance(e, InputError);
    assert.match(
      (e as Error).message,
      /nics\.json:1:\d+: duplicate key 'line_rate_gbit_per_s' \(first at .*nics\.json:1:\d+/,
    );
  }
});

test("an endless device stops at the byte cap instead of reading forever", () => {
  const t = performance.now();
  try {
    readTextFile("/dev/zero");
    assert.unreachable("read");
  } catch (e) {
    assert.instance(e, InputError);
    assert.match(
      (e as Error).message,
      /\/dev\/zero: file is more than 8388608 bytes \(expected at most 8388608 bytes\)/,
    );
  }
  assert.ok(performance.now() - t < 5000);
  const r = cli(["check", "/dev/zero"]);
  assert.is(r.code, 2, r.stderr);
});

test("a spec given through a pipe (process substitution) is read to its end", () => {
  const cmd = [process.execPath, ...cliCommand(["check"])].map((a) => `'${a}'`).join(" ");
  const r = spawnSync("bash", ["-c", `${cmd} <(cat '${join(FIXTURES, "tiny.yaml")}')`], {
    encoding: "utf8",
    env: childEnv(),
    cwd: tempDir(),
    timeout: 60000,
  });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /\/dev\/fd\/\d+: ok \(192 design points/);
  const out = join(tempDir(), "run");
  const run = spawnSync(
    "bash",
    ["-c", `${cmd.replace("'check'", "'run'")} <(cat '${join(FIXTURES, "tiny.yaml")}') --out '${out}' --quiet`],
    { encoding: "utf8", env: childEnv(), cwd: tempDir(), timeout: 60000 },
  );
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stdout, /recsweep run tiny: 192 points scored/);
});

test("a FIFO in a --catalog folder is refused at once, without blocking", () => {
  const dir = tempDir();
  mkdirSync(join(dir, "cat"));
  execFileSync("mkfifo", [join(dir, "cat", "accelerators.yaml")]);
  const t = Date.now();
  const r = cli(["check", specFile(TINY_TEXT), "--catalog", join(dir, "cat")]);
  assert.is(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /accelerators\.yaml: is a FIFO \(named pipe\), not a regular file \(expected a regular YAML or JSON catalog file/,
  );
  assert.ok(Date.now() - t < 30000);
});

test("--workers far above the cores is capped at twice the available cores, with a message", () => {
  const out = join(tempDir(), "run");
  const r = cli(["run", join(FIXTURES, "tiny.yaml"), "--out", out, "--quiet", "--workers", "1000"]);
  assert.is(r.code, 0, r.stderr);
  const cap = 2 * availableParallelism();
  assert.match(
    r.stderr,
    new RegExp(
      `--workers 1000 is more than twice the ${availableParallelism()} available cores; using ${cap} worker threads`,
    ),
  );
  assert.is(JSON.parse(readFileSync(join(out, "run-info.json"), "utf8")).workers, cap);
});

test.run();
