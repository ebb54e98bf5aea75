// Builds the self-contained report.html: the Plot/d3 browser bundle and the run's data inlined, no network.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../paths.ts";
import type { ReportData } from "./data.ts";

export const CLIENT_BUNDLE = join(PROJECT_ROOT, "dist", "report-client.js");

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** JSON safe inside <script>: no "<" can close the element or open a comment. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

export function clientBundle(): string {
  if (!existsSync(CLIENT_BUNDLE)) throw new Error(`the report bundle ${CLIENT_BUNDLE} is missing: run npm run build`);
  const code = readFileSync(CLIENT_BUNDLE, "utf8");
  if (/<\/script/i.test(code)) throw new Error("the report bundle contains '</script' and cannot be inlined");
  return code;
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1180px;padding:1rem 1.5rem;color:#222}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:2rem 0 .4rem;border-bottom:1px solid #ddd}
.note{color:#555;max-width:60rem}.grid{display:flex;flex-wrap:wrap;gap:1rem}.grid>figure{margin:0}
table{border-collapse:collapse;font-size:12px}th,td{padding:2px 6px;border-bottom:1px solid #eee;text-align:right;white-space:nowrap}
th{cursor:pointer;background:#f4f4f4;position:sticky;top:0}td.s,th.s{text-align:left}.scroll{max-height:28rem;overflow:auto;border:1px solid #ddd}
pre{background:#f7f7f7;padding:.6rem;overflow:auto;max-height:20rem;font-size:12px}
figure h3{font-size:.95rem;margin:.3rem 0}`;

export function reportHtml(data: ReportData): string {
  const title = `recsweep report: ${data.title}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="note" id="summary"></p>
<noscript><p>This report draws its charts with JavaScript; the data are in frontier.csv and the other CSV files beside it.</p></noscript>
<h2>Pareto frontier per workload</h2>
<p class="note">Every feasible point sampled (grey) and the frontier (symbols by system) over the objectives ${escapeHtml(data.objectives.join(", "))}; the chart shows the first two${data.objectives.length > 2 ? ", so frontier points that win on a further objective may look dominated here" : ""}. Hover a point for its configuration.</p>
<div id="frontier" class="grid"></div>
<h2>Throughput against power and against cost</h2><div id="tradeoffs" class="grid"></div>
<h2>Where the time goes on the frontier</h2>
<p class="note">Per-iteration time of each frontier point by term of the time line; the bottleneck is the longest term.</p>
<div id="breakdown"></div>
<h2>Sensitivity</h2><p class="note">Best ${escapeHtml(data.objectives[0] ?? "objective")} reached at each value of each swept axis (run axes and model axes), per workload; with many workloads, the best and the median over them.</p>
<div id="sensitivity" class="grid"></div>
<h2>Infeasible points by reason</h2><div id="infeasible"></div>
<h2>Calibration: predicted against measured</h2><p class="note">The committed fit on the project's measurements (calibration.csv); the line is perfect agreement.</p>
<div id="calibration"></div>
<h2>Frontier points</h2><p class="note">Click a column header to sort.</p><div id="table" class="scroll"></div>
<h2>Spec and manifest</h2><pre id="spec"></pre><pre id="manifest"></pre>
<script type="application/json" id="recsweep-data">${scriptJson(data)}</script>
<script>${clientBundle()}</script>
</body></html>
`;
}
