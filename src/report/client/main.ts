// The report's browser code: reads the inlined run data, lets the reader choose workloads (the summary table and
// every chart follow), and draws the charts as SVG with Observable Plot at the page's width, again on resize.
// Bundled with Plot and d3 into dist/report-client.js (scripts/build.mjs) and inlined.
import { anyFeasible, data, el, legend } from "./common.ts";
import { calibrationChart, frontierTable, infeasibleChart, sensitivityCharts } from "./other.ts";
import { workloadCharts } from "./workloads.ts";

/** Workloads chosen when the report opens, unless the spec names some (output.report_workloads). */
export const DEFAULT_WORKLOADS = 4;

const all = data.workloads;
/** The spec's choice, if it has one: workload labels, or parts of labels ("rmc2"). */
function defaultChoice(): string[] {
  const named = (data.spec.output as { report_workloads?: unknown } | undefined)?.report_workloads;
  if (Array.isArray(named) && named.length) {
    const picked = all.filter((w) => named.some((n) => w === String(n) || w.includes(String(n))));
    if (picked.length) return picked;
  }
  return all.slice(0, DEFAULT_WORKLOADS);
}

let chosen = defaultChoice();

function draw(): void {
  const pick = new Set(chosen);
  for (const body of Array.from(document.querySelectorAll<HTMLElement>("#summary tbody[data-workload]"))) {
    body.hidden = !pick.has(body.dataset.workload!);
  }
  const ordered = all.filter((w) => pick.has(w));
  el("wl-count").textContent = `${ordered.length} of ${all.length} workloads shown`;
  for (const box of Array.from(document.querySelectorAll<HTMLInputElement>("#wl-list input")))
    box.checked = pick.has(box.value);
  workloadCharts(ordered);
  sensitivityCharts(ordered);
  const width = el("infeasible").clientWidth;
  infeasibleChart(width);
  calibrationChart(width);
  frontierTable(ordered);
}

function picker(): void {
  // hidden in the page itself: without JavaScript the picker could not work
  if (all.length <= 1) return;
  el("picker").hidden = false;
  const list = el("wl-list");
  list.replaceChildren(
    ...all.map((w) => {
      const item = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = w;
      box.addEventListener("change", () => {
        chosen = box.checked ? [...chosen, w] : chosen.filter((c) => c !== w);
        draw();
      });
      item.append(box, document.createTextNode(` ${w}`));
      return item;
    }),
  );
  const filter = el("wl-filter") as HTMLInputElement;
  filter.addEventListener("input", () => {
    const text = filter.value.trim().toLowerCase();
    chosen = text ? all.filter((w) => w.toLowerCase().includes(text)) : defaultChoice();
    draw();
  });
  el("wl-all").addEventListener("click", () => {
    chosen = [...all];
    draw();
  });
  el("wl-first").textContent = `first ${Math.min(DEFAULT_WORKLOADS, all.length)}`;
  el("wl-first").addEventListener("click", () => {
    filter.value = "";
    chosen = defaultChoice();
    draw();
  });
}

picker();
if (anyFeasible) legend(el("legend"));
else el("legend").hidden = true;
draw();
// Charts take the width of their grid cell: draw again when the page width changes.
let lastWidth = document.documentElement.clientWidth;
let timer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener("resize", () => {
  clearTimeout(timer);
  timer = setTimeout(() => {
    if (document.documentElement.clientWidth === lastWidth) return;
    lastWidth = document.documentElement.clientWidth;
    draw();
    document.body.dataset.drawnAt = String(lastWidth);
  }, 150);
});
el("spec").textContent = JSON.stringify(data.spec, null, 2);
el("manifest").textContent = JSON.stringify(data.manifest, null, 2);
document.body.dataset.rendered = "true";
