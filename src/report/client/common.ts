// What every chart of the report shares: the inlined data, labels with units, one colour and one symbol per
// system (the same in every chart and in the legend), and small DOM helpers.
import { format, symbol as d3symbol, symbolCircle, symbolCross, symbolDiamond, symbolSquare, symbolStar } from "d3";
import { symbolTriangle, symbolWye } from "d3";
import { objectiveColumnName } from "../../schema/vocab.ts";
import type { ReportData, Row } from "../data.ts";
import { objectiveInfo } from "../summary.ts";

export type { Row };
export const data = JSON.parse(document.getElementById("recsweep-data")!.textContent!) as ReportData;
export const el = (id: string) => document.getElementById(id)!;
/** Tooltip and table numbers: four significant digits with SI prefixes. */
export const num = format(".4~s");
/**
 * Axis ticks: a d3 specifier, not a function, so Plot asks the scale for a format with as many digits as the tick
 * step needs (no "145, 145, 144").
 */
export const TICKS = "~s";

const LABELS: Record<string, string> = {
  power_w: "job power incl. PUE (W)",
  cost_usd_per_hour: "cost (USD per hour)",
  throughput_samples_per_s: "throughput (samples/s)",
};
/** An axis label with its unit: "samples per joule (samples/J)"; neg_ objectives read their column. */
export function label(key: string): string {
  if (LABELS[key]) return LABELS[key]!;
  const { name, unit } = objectiveInfo(key);
  return unit ? `${name} (${unit})` : name;
}
/** An objective's column value of a row (a time or cost for neg_ objectives, not negated). */
export const value = (r: Row, k: string) => Number(r[objectiveColumnName(k).column]);

/** Systems in sweep order, then any others the files name. */
export const systems = [...new Set([...data.systems, ...data.frontier.map((r) => String(r.system))])];
const PALETTE = [
  "#4e79a7",
  "#f28e2c",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc949",
  "#af7aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ab",
];
const SYMBOLS = [
  ["circle", symbolCircle],
  ["square", symbolSquare],
  ["triangle", symbolTriangle],
  ["diamond", symbolDiamond],
  ["star", symbolStar],
  ["cross", symbolCross],
  ["wye", symbolWye],
] as const;
export const colorOf = (i: number) => PALETTE[i % PALETTE.length]!;
/** Plot's colour and symbol scales: fixed per system, so every chart and the shared legend agree. */
export const colorScale = { domain: systems, range: systems.map((_, i) => colorOf(i)) };
export const symbolScale = { domain: systems, range: systems.map((_, i) => SYMBOLS[i % SYMBOLS.length]![0]) };

/** The legend of every system chart: each system's symbol in its colour, as the marks draw it. */
export function legend(parent: HTMLElement): void {
  parent.replaceChildren(
    ...systems.map((s, i) => {
      const item = document.createElement("span");
      item.className = "key";
      const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.setAttribute("width", "14");
      svg.setAttribute("height", "14");
      svg.setAttribute("viewBox", "-7 -7 14 14");
      const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
      path.setAttribute("d", d3symbol(SYMBOLS[i % SYMBOLS.length]![1], 64)() ?? "");
      path.setAttribute("fill", colorOf(i));
      svg.append(path);
      item.append(svg, document.createTextNode(s));
      return item;
    }),
  );
}

/** A legend of lines with a dot, for series drawn as lines through dots. */
export function lineLegend(parent: HTMLElement, series: readonly string[]): void {
  parent.replaceChildren(
    ...series.map((s, i) => {
      const item = document.createElement("span");
      item.className = "key";
      item.innerHTML =
        `<svg width="22" height="10" viewBox="0 0 22 10"><line x1="1" y1="5" x2="21" y2="5" stroke="${colorOf(i)}"` +
        ` stroke-width="1.5"/><circle cx="11" cy="5" r="3" fill="${colorOf(i)}"/></svg>`;
      item.append(document.createTextNode(s));
      return item;
    }),
  );
}

export const configTip = {
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
  "samples/s, 80 % interval": (r: Row) =>
    r.throughput_lo80 === "" || r.throughput_lo80 === undefined
      ? ""
      : `${Number(r.throughput_lo80).toPrecision(3)} to ${Number(r.throughput_hi80).toPrecision(3)}`,
  measurements: (r: Row) =>
    r.extrapolated === "" || r.extrapolated === undefined
      ? ""
      : Number(r.extrapolated) === 1
        ? `extrapolated: ${r.unmeasured}`
        : "calibrated",
};

/**
 * The 80 % interval of a point's objective `k` (issue 16): throughput's interval scales every objective proportional
 * to throughput (samples/J, samples/USD) and inversely those per run (time, cost: neg_ objectives). Null without one.
 */
export function band(r: Row, k: string): [number, number] | null {
  const t = Number(r.throughput_samples_per_s),
    lo = Number(r.throughput_lo80),
    hi = Number(r.throughput_hi80);
  if (r.throughput_lo80 === "" || r.throughput_lo80 === undefined || !(t > 0) || !(lo > 0)) return null;
  const v = value(r, k);
  return objectiveColumnName(k).sign < 0 ? [(v * t) / hi, (v * t) / lo] : [(v * lo) / t, (v * hi) / t];
}

/** A chart in a figure with a heading; `draw` gets the figure's width once it is in the page. */
export function figure(parent: HTMLElement, heading: string, draw: (width: number) => Element): void {
  const fig = document.createElement("figure");
  const h = document.createElement("h3");
  h.textContent = heading;
  fig.append(h);
  parent.append(fig);
  fig.append(draw(Math.max(280, Math.floor(fig.clientWidth))));
}

/** A note in place of a chart, saying why there is nothing to draw. */
export function emptyNote(parent: HTMLElement, text: string): void {
  const p = document.createElement("p");
  p.className = "empty";
  p.textContent = text;
  parent.append(p);
}

export const anyFeasible = Number(data.manifest.feasible) > 0;
export const NO_FEASIBLE = "No feasible point in this run, so nothing to draw (see the banner at the top).";
