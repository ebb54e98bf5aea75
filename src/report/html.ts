// Builds the self-contained report.html: the Plot/d3 browser bundle and the run's data inlined, no network.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../paths.ts";
import type { ReportData } from "./data.ts";
import {
  calibrationText,
  configText,
  marginText,
  objectiveInfo,
  quantityText,
  type Row,
  type SummaryRow,
} from "./summary.ts";

export const CLIENT_BUNDLE = join(PROJECT_ROOT, "dist", "report-client.js");

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** JSON safe inside <script>: no "<" can close the element or open a comment. */
export function scriptJson(value: unknown): string {
  // each replacement only where its character occurs: a run's data is MBs of JSON that seldom holds any of them
  let json = JSON.stringify(value);
  if (json.includes("<")) json = json.replace(/</g, "\\u003c");
  if (json.includes("\u2028")) json = json.replace(/\u2028/g, "\\u2028");
  if (json.includes("\u2029")) json = json.replace(/\u2029/g, "\\u2029");
  return json;
}

export function clientBundle(): string {
  if (!existsSync(CLIENT_BUNDLE)) throw new Error(`the report bundle ${CLIENT_BUNDLE} is missing: run npm run build`);
  const code = readFileSync(CLIENT_BUNDLE, "utf8");
  if (/<\/script/i.test(code)) throw new Error("the report bundle contains '</script' and cannot be inlined");
  return code;
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1800px;padding:.6rem 1.5rem;color:#222}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.6rem 0 .4rem;border-bottom:1px solid #ddd}
h3{font-size:.95rem;margin:.6rem 0 .2rem}.note{color:#555;max-width:70rem;margin:.3rem 0}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,400px),1fr));gap:.8rem 1.2rem}
.grid.small{grid-template-columns:repeat(auto-fill,minmax(min(100%,300px),1fr))}
figure{margin:0;min-width:0}figure h3{font-weight:500;margin:.2rem 0}.empty{color:#8a4b00;font-style:italic}
.banner{background:#b00020;color:#fff;padding:.7rem 1rem;margin:.5rem 0;font-size:1.1rem;border-radius:4px}
.banner strong{font-size:1.25rem}
.picker{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;margin:.4rem 0}
.picker details[open]{flex-basis:100%}
.picker #wl-list{display:flex;flex-wrap:wrap;gap:.1rem 1rem;max-height:12rem;overflow:auto}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;margin:.3rem 0}
.legend .key{display:inline-flex;gap:.35rem;align-items:center}
table{border-collapse:collapse;font-size:12px}
th,td{padding:2px 6px;border-bottom:1px solid #eee;text-align:right;white-space:nowrap}
th{background:#f4f4f4;position:sticky;top:0}#table th{cursor:pointer}td.s,th.s{text-align:left}
.scroll{max-height:28rem;overflow:auto;border:1px solid #ddd}
#summary{font-size:13px;margin:.3rem 0;max-width:100%}#summary caption{text-align:left;font-weight:600;padding:.2rem 0}
#summary td,#summary th{text-align:left;white-space:normal;vertical-align:top}
#summary td.v,#summary td.n{white-space:nowrap}#summary td.v{text-align:right}#summary tbody{border-top:2px solid #ccc}
#summary .w{min-width:8em;font-weight:600;overflow-wrap:anywhere}#summary .cal{color:#666;font-size:11px}
[hidden]{display:none!important}.grid>.empty,.grid>.legend{grid-column:1/-1}
pre{background:#f7f7f7;padding:.6rem;overflow:auto;max-height:20rem;font-size:12px}
@media (max-width:900px){body{padding:.5rem .8rem}#summary{font-size:12px}}
@media (min-width:1200px){#summary td.c,#summary td.o{white-space:nowrap}}`;

/** The margin in a table cell: exact, or "≤" with a mark when only a bound is in the folder. */
function marginCell(r: SummaryRow): string {
  const m = r.margin;
  if (m.kind !== "exact" && m.kind !== "at-most") return escapeHtml(marginText(r));
  const { unit, lower } = objectiveInfo(r.objective);
  const pct = `${m.kind === "at-most" ? "≤ " : ""}${lower ? "" : "+"}${m.pct.toFixed(Math.abs(m.pct) < 1 ? 2 : 1)} %`;
  const tail =
    m.kind === "at-most" ? ' <sup title="at most: the runner-up\'s best point may be off the frontier">†</sup>' : "";
  const ref = escapeHtml(quantityText(m.runnerUpValue, unit));
  return `${pct} ${lower ? "less than" : "over"} ${escapeHtml(m.runnerUp)} (${ref})${tail}`;
}

/** Under the bottleneck: whether the winner's throughput rests on measurements (issue 16), on its own line. */
function calibrationCell(r: Row): string {
  const text = calibrationText(r);
  return text ? `<br><span class="cal">${escapeHtml(text)}</span>` : "";
}

const CAPTION = "<caption>The answer at a glance: the best system per workload and objective</caption>";

/** `<table id="summary">`: per workload (one tbody each, so the picker can hide it) and objective, the winner. */
export function summaryTable(data: ReportData): string {
  const byWorkload = new Map<string, SummaryRow[]>();
  for (const r of data.summary) byWorkload.set(r.workload, [...(byWorkload.get(r.workload) ?? []), r]);
  const bodies = [...byWorkload].map(([w, rows]) => {
    const trs = rows.map((r, i) => {
      const { name, unit } = objectiveInfo(r.objective);
      const first = i === 0 ? `<td class="w" rowspan="${rows.length}">${escapeHtml(w)}</td>` : "";
      if (!r.winner)
        return `<tr>${first}<td>${escapeHtml(name)}</td><td colspan="5" class="empty">no feasible point</td></tr>`;
      return (
        `<tr>${first}<td class="o">${escapeHtml(name)}</td><td class="n"><b>${escapeHtml(r.system)}</b></td>` +
        `<td class="v">${escapeHtml(quantityText(r.value, unit))}</td><td>${marginCell(r)}</td>` +
        `<td class="c">${escapeHtml(configText(r.winner))}</td><td>${escapeHtml(String(r.winner.bottleneck))}` +
        `${calibrationCell(r.winner)}</td></tr>`
      );
    });
    return `<tbody data-workload="${escapeHtml(w)}">${trs.join("")}</tbody>`;
  });
  const head =
    "<thead><tr><th>workload</th><th>objective</th><th>best system</th><th>value</th>" +
    "<th>margin over the runner-up system</th><th>configuration</th>" +
    '<th title="calibrated: every aspect of the point has measurements behind it">bound by; measured?</th>' +
    "</tr></thead>";
  const bound = data.summary.some((r) => r.margin.kind === "at-most" || r.margin.kind === "unknown");
  if (Number(data.manifest.feasible) === 0) return `<table id="summary">${CAPTION}${head}${bodies.join("")}</table>`;
  return (
    `<table id="summary">${CAPTION}${head}${bodies.join("")}</table>
<p class="note">Margins: over the best point of the runner-up system on the same workload, from
${escapeHtml(data.summaryBasis)}.` +
    (bound
      ? " † at most: this folder holds a lower bound on the runner-up's best point only (another system's point may" +
        " dominate it, so it is off the frontier); write points.csv (output.points_csv) for exact margins."
      : "") +
    "</p>"
  );
}

/** Above everything when nothing is feasible: why, with the counts per reason. */
function banner(data: ReportData): string {
  if (Number(data.manifest.feasible) > 0) return "";
  const reasons = data.infeasible.map((r) => `${r.reason}: ${r.points} (${r.meaning})`).join("; ");
  return (
    `<div id="banner" class="banner" role="alert"><strong>No feasible point.</strong> All ` +
    `${escapeHtml(String(data.manifest.points_scored))} design points scored are infeasible` +
    `${reasons ? `: ${escapeHtml(reasons)}` : ""}. There is nothing to compare or draw; infeasible.csv has the ` +
    "counts and <code>recsweep explain</code> the reason of one point.</div>"
  );
}

function counts(data: ReportData): string {
  const m = data.manifest;
  const of = data.objectives.map((o) => objectiveInfo(o).name).join(", ");
  return (
    `<p class="note" id="counts">${escapeHtml(String(m.points_scored))} design points scored, ` +
    `${escapeHtml(String(m.feasible))} feasible, ${escapeHtml(String(m.frontier_size))} on the frontier` +
    // frontier.csv writes points with identical results as one row (README "An honest frontier")
    `${data.frontier.length < Number(m.frontier_size) ? ` (${data.frontier.length} distinct results)` : ""}, ` +
    `over ${data.workloads.length} workloads and ${data.systems.length} systems; ` +
    `objectives: ${escapeHtml(of)}.</p>`
  );
}

export function reportHtml(data: ReportData): string {
  const title = `recsweep report: ${data.title}`;
  const objs = data.objectives;
  const names = escapeHtml(objs.map((o) => objectiveInfo(o).name).join(", "));
  const more = objs.length > 2 ? ", so frontier points that win on a further objective may look dominated there" : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
${banner(data)}${counts(data)}
<div id="picker" class="picker" hidden>
<label>Workloads: <input id="wl-filter" type="search" placeholder="filter by name, e.g. rmc2"></label>
<button id="wl-all" type="button">all</button><button id="wl-first" type="button">first</button>
<span id="wl-count"></span>
<details><summary>choose workloads</summary><div id="wl-list"></div></details></div>
${summaryTable(data)}
<noscript><p>This report draws its charts with JavaScript; the data are in frontier.csv and the other CSV files beside
it.</p></noscript>
<h2>Per workload: the frontier, throughput against power and against cost</h2>
<p class="note">The frontier over ${names} (symbols by system) with every sampled feasible point (grey); the chart
shows the first two${more}; the line through a frontier point is its 80 % prediction interval (both objectives move
with throughput), cut at the chart's edge. Throughput charts: frontier and sampled points, each system's envelope as
a line (the most throughput for at most that power or cost, among the points in this folder). Hover a point for its
configuration.</p>
<div id="legend" class="legend"></div>
<div id="workloads"></div>
<h2>Where the time goes on the frontier</h2>
<p class="note">Per-iteration time of each frontier point by term of the time line; the bottleneck is the longest
term.</p>
<div id="breakdown"></div>
<h2>Sensitivity</h2><p class="note">Best ${escapeHtml(objectiveInfo(objs[0] ?? "samples_per_joule").name)} reached at
each value of each swept axis (run axes and model axes), per chosen workload; with many workloads, the best and the
median over them.</p>
<div id="sensitivity" class="grid small"></div>
<h2>Infeasible points by reason</h2><div id="infeasible"></div>
<h2>Calibration: predicted against measured</h2><p class="note">The committed fit on the project's measurements
(calibration.csv); the line is perfect agreement.</p>
<div id="calibration"></div>
<h2>Frontier points</h2><p class="note">Of the chosen workloads. Click a column header to sort. Points with identical
results are one row: <code>equivalent_placements</code> and <code>equivalent_precisions</code> list every placement
and precision that gives it, <code>placement_resolved</code> what <code>auto</code> chose; <code>near_tie</code>
names the rows at least as good on every objective up to the model's resolution (whatever this row leads them by,
the model cannot resolve); <code>frontier_probability</code> is the share of the fit's parameter draws under which it
stays on the frontier (docs/calibration.md).</p>
<div id="table" class="scroll"></div>
<h2>Spec and manifest</h2><pre id="spec"></pre><pre id="manifest"></pre>
<script type="application/json" id="recsweep-data">${scriptJson(data)}</script>
<script>${clientBundle()}</script>
</body></html>
`;
}
