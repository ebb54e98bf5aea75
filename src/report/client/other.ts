// The run-wide charts: sensitivity along every swept axis, infeasible points by reason, calibration, and the
// sortable table of frontier points (of the chosen workloads).
import * as Plot from "@observablehq/plot";
import { anyFeasible, colorOf, data, el, emptyNote, figure, lineLegend, NO_FEASIBLE, num, TICKS } from "./common.ts";
import type { Row } from "./common.ts";
import { objectiveInfo } from "../summary.ts";
import { POINT_FIELDS } from "../columns.ts";

const MAX_SENSITIVITY_LINES = 8;
const AXIS_LABELS: Record<string, string> = {
  system: "system",
  nodes: "nodes (count)",
  embedding_placement: "embedding placement",
  batch_size: "batch size (samples)",
  precision: "precision",
};
/** An axis name with its unit: a model axis ending in _gb is in GB, one ending in _scale is a factor. */
const axisLabel = (axis: string) =>
  AXIS_LABELS[axis] ??
  (axis.endsWith("_gb")
    ? `${axis.slice(0, -3).replace(/_/g, " ")} (GB)`
    : axis.endsWith("_scale")
      ? `${axis.replace(/_/g, " ")} (×)`
      : axis.replace(/_/g, " "));

/**
 * Small multiples of the best first objective along every swept axis, for the chosen workloads: the run axes from
 * sensitivity.csv, and the model axes parsed from workload labels ("model k=v ..."). With few workloads, one line
 * each; with many, the best and the median over them.
 */
export function sensitivityCharts(chosen: readonly string[]): void {
  const host = el("sensitivity");
  host.replaceChildren();
  const key = Object.keys(data.sensitivity[0] ?? {}).find((k) => k.startsWith("best_")) ?? "best";
  const { name, unit, sign } = objectiveInfo(key.replace("best_", ""));
  const pick = new Set(chosen);
  type Cell = { axis: string; value: string; workload: string; best: number };
  let cells: Cell[] = data.sensitivity
    .filter((r) => r[key] !== "" && pick.has(String(r.workload)))
    .map((r) => ({
      axis: String(r.axis),
      value: String(r.value),
      workload: String(r.workload),
      best: sign * Number(r[key]),
    }));
  if (!cells.length) {
    emptyNote(
      host,
      anyFeasible
        ? "No swept axis with more than one value, or no feasible point, in the chosen workloads."
        : NO_FEASIBLE,
    );
    return;
  }
  // model axes: each workload's best over everything, keyed by its axis values
  const better = (a: number, b: number) => sign * a > sign * b;
  const bestOf = new Map<string, number>();
  for (const c of cells)
    if (!bestOf.has(c.workload) || better(c.best, bestOf.get(c.workload)!)) bestOf.set(c.workload, c.best);
  for (const [w, best] of bestOf) {
    const [model, ...pairs] = w.split(" ");
    for (const pair of pairs) {
      const [axis, v] = pair.split("=");
      if (axis && v !== undefined) cells.push({ axis, value: v, workload: model!, best });
    }
  }
  // axes with one value say nothing: their cells go, and so do series only they had
  const values = new Map<string, Set<string>>();
  for (const c of cells) values.set(c.axis, (values.get(c.axis) ?? new Set()).add(c.value));
  cells = cells.filter((c) => values.get(c.axis)!.size > 1);
  if (!cells.length) {
    emptyNote(host, "Every swept axis has a single value in the chosen workloads: nothing varies.");
    return;
  }
  const workloads = new Set(cells.map((c) => c.workload));
  const series = workloads.size <= MAX_SENSITIVITY_LINES ? [...workloads] : ["best", "median over workloads"];
  const colors = { domain: series, range: series.map((_, i) => colorOf(i)) };
  const key1 = document.createElement("div");
  key1.className = "legend";
  lineLegend(key1, series);
  host.append(key1);
  for (const axis of new Set(cells.map((c) => c.axis))) {
    const of = cells.filter((c) => c.axis === axis);
    const domain = [...new Set(of.map((c) => c.value))];
    if (domain.every((v) => v !== "" && Number.isFinite(Number(v)))) domain.sort((a, b) => Number(a) - Number(b));
    let rows: Array<{ value: string; series: string; best: number }>;
    if (workloads.size <= MAX_SENSITIVITY_LINES) {
      const m = new Map<string, { value: string; series: string; best: number }>();
      for (const c of of) {
        const k = `${c.workload}|${c.value}`;
        if (!m.has(k) || better(c.best, m.get(k)!.best)) m.set(k, { value: c.value, series: c.workload, best: c.best });
      }
      rows = [...m.values()];
    } else {
      rows = domain.flatMap((v) => {
        const xs = of
          .filter((c) => c.value === v)
          .map((c) => c.best)
          .sort((a, b) => sign * (a - b));
        return [
          { value: v, series: "best", best: xs[xs.length - 1]! },
          { value: v, series: "median over workloads", best: xs[Math.floor((xs.length - 1) / 2)]! },
        ];
      });
    }
    // labels turn when they would not fit side by side
    const turn = (w: number) => domain.reduce((a, v) => a + 7 * v.length + 8, 0) > w - 80;
    figure(host, axisLabel(axis), (w) =>
      Plot.plot({
        width: w,
        height: turn(w) ? 270 : 230,
        grid: true,
        marginLeft: 56,
        marginBottom: turn(w) ? 84 : 40,
        marginRight: 24,
        x: { label: axisLabel(axis), type: "point", domain, tickRotate: turn(w) ? -40 : 0 },
        y: { label: `best ${name}${unit ? ` (${unit})` : ""}`, tickFormat: TICKS },
        color: colors,
        marks: [
          Plot.line(rows, { x: "value", y: "best", stroke: "series" }),
          Plot.dot(rows, { x: "value", y: "best", fill: "series", r: 3, tip: true }),
        ],
      }),
    );
  }
}

export function infeasibleChart(width: number): void {
  const host = el("infeasible");
  host.replaceChildren();
  if (!data.infeasible.length) {
    host.textContent = "Every point was feasible.";
    return;
  }
  const most = Math.max(...data.infeasible.map((r) => Number(r.points)));
  host.append(
    Plot.plot({
      width: Math.min(width, 900),
      height: 50 + 28 * data.infeasible.length,
      marginLeft: 170,
      marginRight: 16,
      x: {
        label: "infeasible points (count)",
        grid: true,
        ticks: Math.min(8, most),
        tickFormat: (d: number) => (Number.isInteger(d) ? num(d) : ""),
      },
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

export function calibrationChart(width: number): void {
  const host = el("calibration");
  host.replaceChildren();
  const rows = data.calibration.filter((r) => r.metric === "throughput_samples_per_s" && r.predicted !== "");
  if (!rows.length) {
    host.textContent = "No calibration data in this run folder.";
    return;
  }
  const lo = Math.min(...rows.map((r) => Math.min(Number(r.measured), Number(r.predicted))));
  const hi = Math.max(...rows.map((r) => Math.max(Number(r.measured), Number(r.predicted))));
  const w = Math.min(width, 640);
  host.append(
    Plot.plot({
      width: w,
      height: Math.round(w * 0.75),
      grid: true,
      marginLeft: 56,
      marginRight: 16,
      x: { type: "log", label: "measured throughput (samples/s)", tickFormat: TICKS },
      y: { type: "log", label: "predicted throughput (samples/s)", tickFormat: TICKS },
      symbol: { legend: true },
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

const TABLE_COLS = [
  ...POINT_FIELDS,
  "time_to_train_h",
  "cost_per_run_usd",
  // the honest frontier (frontier/honest.ts): what auto chose, the placements and precisions one row stands for,
  // the rows it nearly ties with; then how sure the row is (docs/calibration.md)
  "placement_resolved",
  "equivalent_placements",
  "equivalent_precisions",
  "near_tie",
  "throughput_lo80",
  "throughput_hi80",
  "unmeasured",
  "frontier_probability",
];
/** Columns of names or index lists: shown as written, never as a formatted number. */
const TEXT_COLS = new Set(["near_tie", "equivalent_placements", "equivalent_precisions", "unmeasured"]);

export function frontierTable(chosen: readonly string[]): void {
  const host = el("table");
  host.replaceChildren();
  if (!anyFeasible) {
    emptyNote(host, NO_FEASIBLE);
    return;
  }
  const pick = new Set(chosen);
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  const body = table.createTBody();
  let rows: Row[] = data.frontier.filter((r) => pick.has(String(r.workload)));
  let sortKey = "",
    asc = true;
  const render = () => {
    body.replaceChildren(
      ...rows.map((r) => {
        const tr = document.createElement("tr");
        for (const c of TABLE_COLS) {
          const td = document.createElement("td");
          const v = r[c];
          const text = typeof v === "number" && !TEXT_COLS.has(c);
          td.textContent = text ? num(v) : String(v ?? "");
          if (!text) td.className = "s";
          if (c === "near_tie" && v !== "") td.title = "leads these rows by less than the model can resolve";
          tr.append(td);
        }
        return tr;
      }),
    );
  };
  for (const c of TABLE_COLS) {
    const th = document.createElement("th");
    th.textContent = c;
    if (typeof data.frontier[0]?.[c] !== "number" || TEXT_COLS.has(c)) th.className = "s";
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
  host.append(table);
}
