// `npm run bench -- sweeps/bench-hardware.yaml`: a pruned hardware-axes sweep (output.points_csv false), as
// `key: value` lines:
//   design_points, points_scored (from run-info.json: points not bounded away), end_to_end_seconds (one full
//   `recsweep run --force` in a child process), effective_points_per_s = design_points / end_to_end_seconds, cores,
//   raw_model_points_per_s_per_core (the raw model loop on a sample of slices of the same space, one thread),
//   exactness_check: identical | DIFFERS (the pruned frontier against full enumeration on a random sub-space of
//   >= 10^7 points of the same spec), peak_rss_mb.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultWorkers, runSweep } from "../run/sweep.ts";
import { describePoint, totalPoints } from "../space/space.ts";
import type { Plan } from "../spec/plan.ts";
import { rawLoopSeconds } from "./raw-loop.ts";
import { seededRandom } from "../model/random.ts";

type SweepResult = Awaited<ReturnType<typeof runSweep>>;

/** Points of the random sub-space the exactness check enumerates in full. */
const SUBSPACE_POINTS = 1e7;

/** `k` of `n` indices, sorted, drawn without replacement. */
function pick(n: number, k: number, rand: () => number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < Math.min(k, n); i++) {
    const j = i + Math.floor(rand() * (n - i));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, Math.min(k, n)).sort((a, b) => a - b);
}

/**
 * A random sub-space of at least SUBSPACE_POINTS points: some workloads and node designs, every value of the other
 * axes (so blocks and their bounds are those of the full space).
 */
export function subPlan(plan: Plan, seed: number): Plan {
  const rand = seededRandom(seed);
  const perDesign = totalPoints(plan) / (plan.workloads.length * plan.systems.length);
  const workloads = pick(plan.workloads.length, 2, rand);
  const designs = Math.ceil(SUBSPACE_POINTS / (perDesign * workloads.length));
  const systems = pick(plan.systems.length, designs, rand);
  return {
    ...plan,
    workloads: workloads.map((w) => plan.workloads[w]!),
    systems: systems.map((s) => plan.systems[s]!),
    refused: systems.map((s) => plan.refused?.[s] ?? 0),
    derivedParts: systems.map((s) => plan.derivedParts?.[s] ?? []),
  };
}

/** The first difference between two frontiers, in words; null when identical. */
export function frontierDifference(plan: Plan, a: SweepResult, b: SweepResult): string | null {
  const key = (p: { index: number; row: Float64Array }) => `${p.index}:${[...p.row].join(",")}`;
  const n = Math.max(a.frontier.length, b.frontier.length);
  for (let i = 0; i < n; i++) {
    const x = a.frontier[i],
      y = b.frontier[i];
    if (!x || !y || key(x) !== key(y)) {
      const p = (x ?? y)!;
      const d = describePoint(plan, p.index);
      const which = `pruned ${x ? x.index : "none"}, full ${y ? y.index : "none"}`;
      return `frontier point ${i}: ${which} (${d.workload}, ${d.system})`;
    }
  }
  return null;
}

/** Raw model speed on one thread: `slices` slices of `length` points spread over the space. */
function rawRate(plan: Plan, slices: number, length: number): number {
  const total = totalPoints(plan);
  const rand = seededRandom(7);
  let points = 0,
    seconds = 0;
  for (let i = 0; i < slices; i++) {
    const start = Math.floor(rand() * (total - length));
    seconds += rawLoopSeconds(plan, start, start + length);
    points += length;
  }
  return points / seconds;
}

export async function hardwareBench(spec: string, plan: Plan): Promise<void> {
  const designPoints = totalPoints(plan);
  const cores = availableParallelism();
  rawRate(plan, 4, 50_000); // compile the model first
  const raw = Math.max(rawRate(plan, 20, 50_000), rawRate(plan, 20, 50_000));

  const sub = subPlan(plan, 17);
  const workers = defaultWorkers();
  const pruned = await runSweep(sub, { workers, wantPoints: false, prune: true });
  const full = await runSweep(sub, { workers, wantPoints: false });
  const diff = frontierDifference(sub, pruned, full);

  const out = mkdtempSync(join(tmpdir(), "recsweep-bench-hw-"));
  const child = fileURLToPath(new URL("./run-child.js", import.meta.url));
  const r = spawnSync(process.execPath, [child, spec, join(out, "bench"), "--force"], { encoding: "utf8" });
  if (r.status !== 0) {
    console.error(r.stderr);
    process.exit(1);
  }
  const run = JSON.parse(r.stdout.trim().split("\n").pop()!) as { seconds: number; maxRssKb: number };
  const info = JSON.parse(readFileSync(join(out, "bench", "run-info.json"), "utf8"));
  rmSync(out, { recursive: true, force: true });
  console.log(`design_points: ${designPoints}`);
  console.log(`points_scored: ${info.pruning.points_scored}`);
  console.log(`points_bounded_away: ${info.pruning.points_bounded_away}`);
  console.log(`end_to_end_seconds: ${run.seconds.toFixed(2)}`);
  console.log(`effective_points_per_s: ${Math.round(designPoints / run.seconds)}`);
  console.log(`cores: ${cores}`);
  console.log(`raw_model_points_per_s_per_core: ${Math.round(raw)}`);
  console.log(`effective_over_cores_x_raw: ${(designPoints / run.seconds / (cores * raw)).toFixed(2)}`);
  console.log(`peak_rss_mb: ${Math.round(run.maxRssKb / 1024)}`);
  console.log(`exactness_subspace_points: ${totalPoints(sub)}`);
  console.log(`exactness_check: ${diff === null ? "identical" : `DIFFERS (${diff})`}`);
}
