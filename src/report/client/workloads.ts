// Per chosen workload: its Pareto frontier over the first two objectives, throughput against power and against
// cost with each system's envelope, and where the time goes on its frontier points.
import * as Plot from "@observablehq/plot";
import { extent as d3extent } from "d3";
import {
  band,
  anyFeasible,
  colorScale,
  configTip,
  data,
  emptyNote,
  figure,
  label,
  NO_FEASIBLE,
  symbolScale,
  TICKS,
  value,
} from "./common.ts";
import type { Row } from "./common.ts";
import { objectiveInfo } from "../summary.ts";

const short = (k: string) => objectiveInfo(k).name;
const TERMS = ["compute", "embedding", "alltoall", "allreduce", "hostlink", "ps", "storage", "data", "overhead"];

/**
 * Each system's envelope of points (x to minimise, y to maximise): the points no point of the same system beats
 * with less x and more y, as a staircase.
 */
export function envelope(points: Array<{ system: string; x: number; y: number }>) {
  const out: typeof points = [];
  const bySystem = new Map<string, typeof points>();
  for (const p of points) {
    if (!(p.x > 0 && p.y > 0)) continue;
    if (!bySystem.has(p.system)) bySystem.set(p.system, []);
    bySystem.get(p.system)!.push(p);
  }
  for (const ps of bySystem.values()) {
    ps.sort((a, b) => a.x - b.x || b.y - a.y);
    let best = -Infinity;
    for (const p of ps)
      if (p.y > best) {
        best = p.y;
        out.push(p);
      }
  }
  return out;
}

function frontierChart(w: string, front: Row[], cloud: Row[], width: number): Element {
  const [xKey, yKey] = [data.objectives[1] ?? "samples_per_usd", data.objectives[0] ?? "samples_per_joule"];
  const f = front.map((r) => ({ ...r, x: value(r, xKey), y: value(r, yKey) })).sort((a, b) => a.x - b.x);
  // the axes span the points; an interval reaching past them is cut at the frame (a wide one would squeeze the rest)
  const extent = (k: string) => d3extent([...front, ...cloud].map((r) => value(r, k)).filter(Number.isFinite));
  return Plot.plot({
    width,
    height: Math.round(Math.min(360, width * 0.72)),
    grid: true,
    marginLeft: 56,
    marginRight: 16,
    x: { label: label(xKey), tickFormat: TICKS, domain: extent(xKey), nice: true },
    y: { label: label(yKey), tickFormat: TICKS, domain: extent(yKey), nice: true },
    color: colorScale,
    symbol: symbolScale,
    marks: [
      Plot.dot(cloud, {
        x: (r: Row) => value(r, xKey),
        y: (r: Row) => value(r, yKey),
        r: 1.5,
        fill: "#bbb",
        fillOpacity: 0.5,
      }),
      // a line through the frontier is only a frontier when there are two objectives
      ...(data.objectives.length === 2
        ? [Plot.line(f, { x: "x", y: "y", stroke: "#444", strokeDasharray: "3,2" })]
        : []),
      // 80 % intervals (docs/calibration.md): both objectives move with the throughput's error
      Plot.link(
        f.filter((r) => band(r, yKey) && band(r, xKey)),
        {
          x1: (r: Row) => band(r, xKey)![0],
          y1: (r: Row) => band(r, yKey)![0],
          x2: (r: Row) => band(r, xKey)![1],
          y2: (r: Row) => band(r, yKey)![1],
          stroke: "system",
          strokeOpacity: 0.45,
          strokeWidth: 1.5,
          clip: true,
        },
      ),
      Plot.dot(f, {
        x: "x",
        y: "y",
        fill: "system",
        symbol: "system",
        r: 4.5,
        stroke: "white",
        tip: true,
        channels: { ...configTip, workload: () => w },
      }),
    ],
  });
}

function tradeoffChart(points: Row[], xKey: "power_w" | "cost_usd_per_hour", width: number): Element {
  const pts = points.map((r) => ({
    ...r,
    system: String(r.system),
    x: Number(r[xKey]),
    y: Number(r.throughput_samples_per_s),
  }));
  return Plot.plot({
    width,
    height: Math.round(Math.min(360, width * 0.72)),
    grid: true,
    marginLeft: 56,
    marginRight: 16,
    x: { type: "log", label: label(xKey), tickFormat: TICKS },
    y: { type: "log", label: label("throughput_samples_per_s"), tickFormat: TICKS },
    color: colorScale,
    symbol: symbolScale,
    marks: [
      Plot.dot(pts, {
        x: "x",
        y: "y",
        fill: "system",
        symbol: "system",
        r: 2,
        fillOpacity: 0.35,
        tip: true,
        channels: configTip,
      }),
      Plot.line(envelope(pts), { x: "x", y: "y", z: "system", stroke: "system", curve: "step-after", strokeWidth: 2 }),
    ],
  });
}

/** A frontier point's label without its workload (the chart has one workload): what differs between the rows. */
const pointLabel = (r: Row, i: number) => {
  const ps = r.ps_nodes !== "" && r.ps_nodes !== undefined ? ` ${r.ps_nodes} ps` : "";
  const config = `${r.embedding_placement}${ps} b${r.batch_size} ${r.precision}`;
  return `#${i + 1} ${r.system} ×${r.nodes} ${config} [${r.bottleneck}]`;
};

const MAX_BREAKDOWN = 40;

function breakdownChart(front: Row[], width: number): Element {
  const rows = front.slice(0, MAX_BREAKDOWN);
  const labels = rows.map(pointLabel);
  const long = rows
    .flatMap((r, i) => TERMS.map((t) => ({ point: labels[i]!, term: t, ms: 1000 * Number(r[`t_${t}_s`] ?? 0) })))
    .filter((d) => d.ms > 0);
  const marginLeft = Math.min(Math.round(width * 0.5), 12 + 6.2 * Math.max(...labels.map((l) => l.length)));
  return Plot.plot({
    width,
    height: Math.max(120, 20 * rows.length + 50),
    marginLeft,
    marginRight: 16,
    x: { label: "time per iteration (ms)", grid: true, tickFormat: TICKS },
    y: { label: null, domain: labels },
    color: { legend: true, domain: TERMS, scheme: "tableau10" },
    marks: [Plot.barX(long, { x: "ms", y: "point", fill: "term", tip: true }), Plot.ruleX([0])],
  });
}

/** The charts of the chosen workloads into #workloads and #breakdown. */
export function workloadCharts(chosen: readonly string[]): void {
  const host = document.getElementById("workloads")!,
    times = document.getElementById("breakdown")!;
  for (const el of pending.keys()) observer?.unobserve(el);
  pending.clear();
  host.replaceChildren();
  times.replaceChildren();
  if (!anyFeasible) {
    emptyNote(host, NO_FEASIBLE);
    emptyNote(times, NO_FEASIBLE);
    return;
  }
  if (!chosen.length) {
    emptyNote(host, "No workload chosen: pick some above.");
    return;
  }
  chosen.forEach((w, i) => {
    const section = document.createElement("section");
    section.className = "workload";
    section.dataset.workload = w;
    const h = document.createElement("h3");
    h.textContent = w;
    const grid = document.createElement("div");
    grid.className = "grid";
    section.append(h, grid);
    host.append(section);
    const front = data.frontier.filter((r) => String(r.workload) === w);
    const cloud = data.sample.filter((r) => String(r.workload) === w);
    if (!front.length) {
      emptyNote(
        grid,
        "No feasible point for this workload (every configuration fails; see the infeasible points below).",
      );
      return;
    }
    const [xKey, yKey] = [data.objectives[1] ?? "samples_per_usd", data.objectives[0] ?? "samples_per_joule"];
    const charts = () => {
      figure(grid, `Frontier: ${short(yKey)} against ${short(xKey)}`, (width) => frontierChart(w, front, cloud, width));
      figure(grid, "Throughput against power", (width) => tradeoffChart([...cloud, ...front], "power_w", width));
      figure(grid, "Throughput against cost per hour", (width) =>
        tradeoffChart([...cloud, ...front], "cost_usd_per_hour", width),
      );
    };
    const b = document.createElement("section");
    b.className = "workload";
    b.dataset.workload = w;
    const bh = document.createElement("h3");
    bh.textContent = w;
    b.append(bh);
    times.append(b);
    const breakdown = () =>
      figure(
        b,
        front.length > MAX_BREAKDOWN ? `first ${MAX_BREAKDOWN} of ${front.length} frontier points` : "",
        (width) => breakdownChart(front, width),
      );
    // the first few workloads at once; the others when they come near the window (a large choice stays quick)
    if (i < EAGER_WORKLOADS) {
      charts();
      breakdown();
    } else {
      lazy(grid, charts, 400);
      lazy(b, breakdown, 60 + 20 * Math.min(front.length, MAX_BREAKDOWN));
    }
  });
}

/** Workloads whose charts are drawn at once; the rest are drawn as they scroll near the window. */
const EAGER_WORKLOADS = 4;
let observer: IntersectionObserver | undefined;
const pending = new Map<Element, () => void>();

/** Draws into `el` when it comes within a screen of the window, holding `height` px for it until then. */
function lazy(el: HTMLElement, draw: () => void, height: number): void {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (!e.isIntersecting) continue;
        observer!.unobserve(e.target);
        (e.target as HTMLElement).style.minHeight = "";
        pending.get(e.target)?.();
        pending.delete(e.target);
      }
    },
    { rootMargin: "100% 0px" },
  );
  el.style.minHeight = `${height}px`;
  pending.set(el, draw);
  observer.observe(el);
}
