// The report's browser code: reads the inlined run data and draws every chart as SVG with Observable Plot when
// the page loads. Bundled with Plot and d3 into dist/report-client.js (scripts/build.mjs) and inlined.
import * as Plot from "@observablehq/plot";
import { format } from "d3";
import { objectiveColumnName } from "../../schema/vocab.ts";

type Row = Record<string, string | number>;
interface ReportData {
  title: string;
  objectives: string[];
  manifest: Record<string, unknown>;
  spec: Record<string, unknown>;
  frontier: Row[];
  sample: Row[];
  sensitivity: Row[];
  infeasible: Row[];
  calibration: Row[];
}

const data = JSON.parse(document.getElementById("recsweep-data")!.textContent!) as ReportData;
const num = format(".3~s");
const el = (id: string) => document.getElementById(id)!;
const TERMS = ["compute", "embedding", "alltoall", "allreduce", "hostlink", "ps", "storage", "data", "overhead"];
const LABELS: Record<string, string> = {
  samples_per_joule: "samples per joule (samples/s per W)",
  samples_per_usd: "samples per USD",
  throughput_samples_per_s: "throughput (samples/s)",
  power_w: "job power incl. PUE (W)",
  cost_usd_per_hour: "cost (USD per hour)",
  neg_time_to_train_h: "− time to train (h)",
  neg_cost_per_run_usd: "− cost per run (USD)",
};
const label = (k: string) => LABELS[k] ?? k;
const value = (r: Row, k: string) => {
  const { column, sign } = objectiveColumnName(k);
  return sign * Number(r[column]);
};
const systems = [...new Set([...data.frontier, ...data.sample].map((r) => String(r.system)))];
const colorScale = { domain: systems, legend: true } as const;
const symbolScale = { domain: systems, legend: false } as const;
const configTip = {
  workload: "workload",
  system: "system",
  nodes: "nodes",
  placement: "embedding_placement",
  ps_nodes: "ps_nodes",
  batch: "batch_size",
  precision: "precision",
  "samples/s": "throughput_samples_per_s",
  W: "power_w",
  "USD/h": "cost_usd_per_hour",
  "samples/J": "samples_per_joule",
  "samples/USD": "samples_per_usd",
  bottleneck: "bottleneck",
};

function figure(parent: HTMLElement, heading: string, chart: Element): void {
  const fig = document.createElement("figure");
  const h = document.createElement("h3");
  h.textContent = heading;
  fig.append(h, chart);
  parent.append(fig);
}

function summary(): void {
  const m = data.manifest as Record<string, number | string>;
  el("summary").textContent =
    `${m.points_scored} design points scored, ${m.feasible} feasible, ${m.frontier_size} on the frontier; ` +
    `${data.sample.length} feasible points sampled for the clouds (the frontier is never sampled). Objectives: ${data.objectives.map(label).join("; ")}.`;
}

const MAX_WORKLOAD_CHARTS = 12;

function frontierCharts(): void {
  const [xKey, yKey] = [data.objectives[1] ?? "samples_per_usd", data.objectives[0] ?? "samples_per_joule"];
  const workloads = [...new Set(data.frontier.map((r) => String(r.workload)))];
  for (const w of workloads.slice(0, MAX_WORKLOAD_CHARTS)) {
    const front = data.frontier
      .filter((r) => r.workload === w)
      .map((r) => ({ ...r, x: value(r, xKey), y: value(r, yKey) }))
      .sort((a, b) => a.x - b.x);
    const cloud = data.sample.filter((r) => r.workload === w).map((r) => ({ x: value(r, xKey), y: value(r, yKey) }));
    figure(
      el("frontier"),
      w,
      Plot.plot({
        width: 540,
        height: 340,
        grid: true,
        marginLeft: 60,
        x: { label: label(xKey), tickFormat: num },
        y: { label: label(yKey), tickFormat: num },
        color: colorScale,
        symbol: symbolScale,
        marks: [
          Plot.dot(cloud, { x: "x", y: "y", r: 1.5, fill: "#bbb", fillOpacity: 0.5 }),
          // A line through the frontier is only a frontier when there are two objectives.
          ...(data.objectives.length === 2
            ? [Plot.line(front, { x: "x", y: "y", stroke: "#444", strokeDasharray: "3,2" })]
            : []),
          Plot.dot(front, {
            x: "x",
            y: "y",
            fill: "system",
            symbol: "system",
            r: 4.5,
            stroke: "white",
            tip: true,
            channels: configTip,
          }),
        ],
      }),
    );
  }
  if (workloads.length > MAX_WORKLOAD_CHARTS) {
    const p = document.createElement("p");
    p.className = "note";
    p.textContent = `${workloads.length - MAX_WORKLOAD_CHARTS} more workloads are in frontier.csv and the table below.`;
    el("frontier").append(p);
  }
}

function tradeoffCharts(): void {
  const points = [
    ...data.sample.map((r) => ({ ...r, on: "sampled" })),
    ...data.frontier.map((r) => ({ ...r, on: "frontier" })),
  ];
  for (const [xKey, title] of [
    ["power_w", "Throughput against power"],
    ["cost_usd_per_hour", "Throughput against cost per hour"],
  ] as const) {
    figure(
      el("tradeoffs"),
      title,
      Plot.plot({
        width: 540,
        height: 340,
        grid: true,
        marginLeft: 60,
        x: { type: "log", label: label(xKey), tickFormat: num },
        y: { type: "log", label: label("throughput_samples_per_s"), tickFormat: num },
        color: colorScale,
        symbol: symbolScale,
        marks: [
          Plot.dot(points, {
            x: xKey,
            y: "throughput_samples_per_s",
            stroke: "system",
            symbol: "system",
            r: 2.5,
            strokeOpacity: 0.7,
            tip: true,
            channels: configTip,
          }),
        ],
      }),
    );
  }
}

const MAX_BREAKDOWN = 60;

function breakdownChart(): void {
  const rows = data.frontier.slice(0, MAX_BREAKDOWN);
  const long = rows
    .flatMap((r, i) =>
      TERMS.map((t) => ({
        point: `#${i + 1} ${String(r.workload).slice(0, 28)} · ${r.system} ×${r.nodes} ${r.embedding_placement} b${r.batch_size} ${r.precision} [${r.bottleneck}]`,
        term: t,
        ms: 1000 * Number(r[`t_${t}_s`] ?? 0),
        workload: String(r.workload),
      })),
    )
    .filter((d) => d.ms > 0);
  el("breakdown").append(
    Plot.plot({
      width: 1150,
      height: Math.max(160, 22 * rows.length + 60),
      marginLeft: 560,
      x: { label: "time per iteration (ms)", grid: true },
      y: { label: null, domain: [...new Set(long.map((d) => d.point))] },
      color: { legend: true, domain: TERMS, scheme: "tableau10" },
      marks: [
        Plot.barX(long, { x: "ms", y: "point", fill: "term", tip: true, channels: { workload: "workload" } }),
        Plot.ruleX([0]),
      ],
    }),
  );
  if (data.frontier.length > MAX_BREAKDOWN) {
    const p = document.createElement("p");
    p.className = "note";
    p.textContent = `First ${MAX_BREAKDOWN} of ${data.frontier.length} frontier points shown; all are in frontier.csv.`;
    el("breakdown").append(p);
  }
}

const MAX_SENSITIVITY_LINES = 8;

/**
 * Small multiples of the best first objective along every swept axis: the run axes from sensitivity.csv, and the
 * model axes parsed from workload labels ("model k=v ..."). With few workloads, one line each; with many, the
 * best and the median over workloads.
 */
function sensitivityCharts(): void {
  const key = Object.keys(data.sensitivity[0] ?? {}).find((k) => k.startsWith("best_")) ?? "best";
  type Cell = { axis: string; value: string; workload: string; best: number };
  const cells: Cell[] = data.sensitivity
    .filter((r) => r[key] !== "")
    .map((r) => ({ axis: String(r.axis), value: String(r.value), workload: String(r.workload), best: Number(r[key]) }));
  // Model axes: each workload's best over everything, keyed by its axis values.
  const bestOf = new Map<string, number>();
  for (const c of cells) bestOf.set(c.workload, Math.max(bestOf.get(c.workload) ?? -Infinity, c.best));
  for (const [w, best] of bestOf) {
    const [model, ...pairs] = w.split(" ");
    for (const pair of pairs) {
      const [axis, value] = pair.split("=");
      if (axis && value !== undefined) cells.push({ axis, value, workload: model!, best });
    }
  }
  const axes = [...new Set(cells.map((c) => c.axis))];
  const workloads = new Set(cells.map((c) => c.workload));
  for (const axis of axes) {
    const of = cells.filter((c) => c.axis === axis);
    const domain = [...new Set(of.map((c) => c.value))];
    const numeric = domain.every((v) => v !== "" && Number.isFinite(Number(v)));
    if (numeric) domain.sort((a, b) => Number(a) - Number(b));
    let rows: Array<{ value: string; series: string; best: number }>;
    if (workloads.size <= MAX_SENSITIVITY_LINES) {
      // best per (series, value): per workload for run axes, per model for model axes
      const m = new Map<string, { value: string; series: string; best: number }>();
      for (const c of of) {
        const k = `${c.workload}|${c.value}`;
        if (!m.has(k) || m.get(k)!.best < c.best) m.set(k, { value: c.value, series: c.workload, best: c.best });
      }
      rows = [...m.values()];
    } else {
      rows = domain.flatMap((v) => {
        const xs = of
          .filter((c) => c.value === v)
          .map((c) => c.best)
          .sort((a, b) => a - b);
        return [
          { value: v, series: "best", best: xs[xs.length - 1]! },
          { value: v, series: "median over workloads", best: xs[Math.floor((xs.length - 1) / 2)]! },
        ];
      });
    }
    figure(
      el("sensitivity"),
      axis,
      Plot.plot({
        width: 360,
        height: 240,
        grid: true,
        marginLeft: 55,
        marginBottom: 60,
        x: { label: axis, type: "point", domain, tickRotate: -30 },
        y: { label: key.replace("best_", "best "), tickFormat: num },
        color: { legend: true, domain: [...new Set(rows.map((r) => r.series))] },
        marks: [
          Plot.line(rows, { x: "value", y: "best", stroke: "series" }),
          Plot.dot(rows, { x: "value", y: "best", fill: "series", r: 3, tip: true }),
        ],
      }),
    );
  }
}

function infeasibleChart(): void {
  if (!data.infeasible.length) {
    el("infeasible").textContent = "Every point was feasible.";
    return;
  }
  el("infeasible").append(
    Plot.plot({
      width: 900,
      height: 40 + 28 * data.infeasible.length,
      marginLeft: 220,
      x: { label: "points", grid: true, tickFormat: num },
      y: { label: null },
      marks: [
        Plot.barX(data.infeasible, {
          x: "points",
          y: "reason",
          fill: "#c55",
          tip: true,
          channels: { meaning: "meaning" },
        }),
        Plot.ruleX([0]),
      ],
    }),
  );
}

function calibrationChart(): void {
  const rows = data.calibration.filter((r) => r.metric === "throughput_samples_per_s" && r.predicted !== "");
  if (!rows.length) {
    el("calibration").textContent = "No calibration data in this run folder.";
    return;
  }
  const lo = Math.min(...rows.map((r) => Math.min(Number(r.measured), Number(r.predicted))));
  const hi = Math.max(...rows.map((r) => Math.max(Number(r.measured), Number(r.predicted))));
  el("calibration").append(
    Plot.plot({
      width: 640,
      height: 480,
      grid: true,
      marginLeft: 60,
      x: { type: "log", label: "measured throughput (samples/s)", tickFormat: num },
      y: { type: "log", label: "predicted (samples/s)", tickFormat: num },
      color: { legend: true },
      symbol: { legend: false },
      marks: [
        Plot.line(
          [
            [lo, lo],
            [hi, hi],
          ],
          { stroke: "#888" },
        ),
        Plot.dot(rows, {
          x: "measured",
          y: "predicted",
          stroke: "accelerator",
          symbol: "accelerator",
          r: 4,
          tip: true,
          channels: { id: "id", model: "model", nodes: "nodes", framework: "framework", "error %": "error_pct" },
        }),
      ],
    }),
  );
}

function frontierTable(): void {
  const cols = [
    "workload",
    "system",
    "nodes",
    "embedding_placement",
    "ps_nodes",
    "batch_size",
    "precision",
    "throughput_samples_per_s",
    "power_w",
    "cost_usd_per_hour",
    "samples_per_joule",
    "samples_per_usd",
    "bottleneck",
    "time_to_train_h",
    "cost_per_run_usd",
  ];
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  const body = table.createTBody();
  let rows = [...data.frontier];
  let sortKey = "",
    asc = true;
  const render = () => {
    body.replaceChildren(
      ...rows.map((r) => {
        const tr = document.createElement("tr");
        for (const c of cols) {
          const td = document.createElement("td");
          const v = r[c];
          td.textContent = typeof v === "number" ? num(v) : String(v ?? "");
          if (typeof v !== "number") td.className = "s";
          tr.append(td);
        }
        return tr;
      }),
    );
  };
  for (const c of cols) {
    const th = document.createElement("th");
    th.textContent = c;
    if (typeof data.frontier[0]?.[c] !== "number") th.className = "s";
    th.addEventListener("click", () => {
      asc = sortKey === c ? !asc : true;
      sortKey = c;
      rows = [...rows].sort((a, b) => {
        const x = a[c] ?? "",
          y = b[c] ?? "";
        const d = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
        return asc ? d : -d;
      });
      render();
    });
    head.append(th);
  }
  render();
  el("table").append(table);
}

summary();
frontierCharts();
tradeoffCharts();
breakdownChart();
sensitivityCharts();
infeasibleChart();
calibrationChart();
frontierTable();
el("spec").textContent = JSON.stringify(data.spec, null, 2);
el("manifest").textContent = JSON.stringify(data.manifest, null, 2);
document.body.dataset.rendered = "true";
