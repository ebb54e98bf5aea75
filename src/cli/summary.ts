// The end-of-run summary in words: per workload and objective, the winning system, its margin over the runner-up
// system, its configuration and bottleneck; the report's summary table (report/summary.ts), read from the same
// run folder. A run with no feasible point says so loudly.
import { readRunFolder, type ReportData } from "../report/data.ts";
import { calibrationText, configText, marginText, objectiveInfo, quantityText } from "../report/summary.ts";

/** Workloads the CLI lists; the report's summary table has them all. */
export const CLI_SUMMARY_WORKLOADS = 10;

export function summaryLines(data: ReportData): string[] {
  const m = data.manifest;
  const shard = m.shard ? " (this shard's points only; merge the shards for the whole sweep)" : "";
  if (Number(m.points_scored) === 0 && m.shard)
    return [
      `this shard holds none of the sweep's ${m.points_total} points (a sweep of fewer points than shards leaves ` +
        "the last shards empty; merge still takes it).",
    ];
  if (Number(m.feasible) === 0) {
    const reasons = data.infeasible.map((r) => `${r.reason} ${r.points}`).join(", ");
    return [
      `NO FEASIBLE POINT: all ${m.points_scored} points scored are infeasible${reasons ? ` (${reasons})` : ""}` +
        `${shard}.`,
      "  Nothing to compare: see infeasible.csv for the reasons, and `recsweep explain <run folder> <index>` for " +
        "one point.",
    ];
  }
  const lines = [
    `best system per workload and objective (margin over the runner-up system, from ${data.summaryBasis})${shard}:`,
  ];
  const workloads = [...new Set(data.summary.map((r) => r.workload))];
  for (const w of workloads.slice(0, CLI_SUMMARY_WORKLOADS)) {
    lines.push(`  ${w}`);
    for (const r of data.summary.filter((s) => s.workload === w)) {
      const { name, unit } = objectiveInfo(r.objective);
      if (!r.winner) {
        lines.push(`    ${name}: no feasible point for this workload`);
        continue;
      }
      lines.push(
        `    ${name}: ${r.system}, ${quantityText(r.value, unit)}, ${marginText(r)}; ` +
          `${configText(r.winner)}; bound by ${r.winner.bottleneck}` +
          `${calibrationText(r.winner) ? `; ${calibrationText(r.winner)}` : ""}`,
      );
    }
  }
  const all = Math.max(workloads.length, data.workloads.length); // a summary of the first workloads only (below)
  if (all > CLI_SUMMARY_WORKLOADS) {
    lines.push(`  ... and ${all - CLI_SUMMARY_WORKLOADS} more workloads: see the summary table in report.html`);
  }
  const warning = extrapolationWarning(data);
  if (warning) lines.push(warning);
  return lines;
}

/** One line when frontier points rest on parts or settings without measurements (issue 16), else null. */
export function extrapolationWarning(data: ReportData): string | null {
  const extrapolated = data.frontier.filter((r) => Number(r.extrapolated) === 1);
  if (!extrapolated.length) return null;
  const aspects = [...new Set(extrapolated.flatMap((r) => String(r.unmeasured).split("+")))].join(", ");
  return (
    `warning: ${extrapolated.length} of ${data.frontier.length} frontier.csv rows rest on parts or settings without ` +
    `measurements (${aspects}): wider intervals, see frontier.csv's extrapolated and unmeasured columns`
  );
}

/** The summary of a run folder's data already read (for its report), or a line saying why there is none. */
export function reportSummaryLines(data: ReportData): string[] {
  try {
    return summaryLines(data);
  } catch (e) {
    return [`(no summary: ${(e as Error).message})`];
  }
}

/** The summary of a run folder, or a line saying why there is none (a folder without spec.json or frontier.csv). */
export function runSummaryLines(dir: string): string[] {
  try {
    // the lines show the first CLI_SUMMARY_WORKLOADS workloads: only their summary is read (sensitivity.csv's
    // prefix), which keeps the end of a sweep of thousands of node designs from reading hundreds of MB
    return summaryLines(readRunFolder(dir, { summaryWorkloads: CLI_SUMMARY_WORKLOADS }));
  } catch (e) {
    return [`(no summary: ${(e as Error).message})`];
  }
}
