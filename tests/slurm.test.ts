// The sharded sweep as a real Slurm job array (deploy/slurm-array.sh) on the one-node cluster CI starts with
// scripts/start-slurm-cluster.sh; merged outputs must equal a single run's.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { childEnv, cli, FIXTURES, ROOT, tempDir } from "./helpers.ts";

const sinfo = spawnSync("sinfo", ["-h", "-o", "%T"], { encoding: "utf8" });
const ready =
  sinfo.status === 0 &&
  /idle|mixed|alloc/.test(sinfo.stdout) &&
  existsSync(join(ROOT, "dist", "src", "cli", "main.js"));

if (!ready) {
  console.log(
    "skipped: install slurm (a running one-node cluster: scripts/start-slurm-cluster.sh) and build (npm run build)",
  );
} else {
  test("a Slurm job array of shards plus a merge job reproduces a single run byte for byte", () => {
    const out = join(tempDir("recsweep-slurm-"), "out");
    const spec = join(FIXTURES, "tiny.yaml");
    const sub = spawnSync("bash", [join(ROOT, "deploy", "slurm-array.sh"), spec, out, "3"], {
      encoding: "utf8",
      env: childEnv(),
    });
    assert.is(sub.status, 0, sub.stderr);
    const jobs = (sub.stdout.match(/job (\d+)/g) ?? []).map((s) => s.split(" ")[1]!);
    const deadline = Date.now() + 120000;
    while (Date.now() < deadline) {
      const q = spawnSync("squeue", ["-h", "-j", jobs.join(",")], { encoding: "utf8" });
      if (q.stdout.trim() === "") break;
      spawnSync("sleep", ["1"]);
    }
    assert.ok(
      existsSync(join(out, "merged", "manifest.json")),
      `merge job wrote no result: ${existsSync(join(out, "merge.log")) ? readFileSync(join(out, "merge.log"), "utf8") : "no merge.log"}`,
    );
    const single = join(tempDir(), "single");
    assert.is(cli(["run", spec, "--out", single, "--quiet"]).code, 0);
    for (const f of ["frontier.csv", "points.csv", "manifest.json", "infeasible.csv"]) {
      assert.is(readFileSync(join(out, "merged", f), "utf8"), readFileSync(join(single, f), "utf8"), f);
    }
  });
}

test.run();
