// Opens reports in headless Chromium (Debian's package) from file:// and checks them as a user would see them:
// the summary table above the fold at 1400 px, charts side by side at 1400 px and stacked at 800 px, nothing
// overflowing sideways, a legend with the marks' symbols, the workload picker, a tooltip on hover, a loud banner
// when nothing is feasible, no console error and no request leaving file://. Screenshots go to out/test-artifacts/.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { cli, FIXTURES, ROOT, tempDir } from "./helpers.ts";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const ARTIFACTS = join(ROOT, "out", "test-artifacts");
type Box = { x: number; y: number; width: number; height: number };

if (!CHROMIUM) {
  console.log("skipped: install chromium (Debian package 'chromium') for the report browser test");
} else {
  let browser: Browser;
  const runs: Record<string, string> = {};
  const run = (name: string, spec: string) => {
    const out = join(tempDir(), name);
    assert.is(cli(["run", spec, "--out", out, "--quiet"]).code, 0);
    runs[name] = out;
  };
  const specNone = join(tempDir(), "none.yaml");

  test.before(async () => {
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
      ],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  test.after(async () => {
    await browser?.close();
  });

  /** Opens a run's report at a width; checks no console error and no request outside file:// when done. */
  async function open(dir: string, width: number, check: (page: Page) => Promise<void>): Promise<void> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const errors: string[] = [];
    const external: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("request", (r) => {
      if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) external.push(r.url());
    });
    try {
      await page.goto(pathToFileURL(join(dir, "report.html")).href);
      await page.waitForSelector("body[data-rendered=true]", { timeout: 20000 });
      await check(page);
      assert.equal(errors, []);
      assert.equal(external, []);
    } finally {
      await page.close();
    }
  }
  // Browser-side code as strings: the test runner's transpiler would wrap functions in helpers the page lacks.
  const boxes = (page: Page, selector: string) =>
    page.evaluate(
      `[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; })`,
    ) as Promise<Box[]>;
  const widths = (page: Page) =>
    page.evaluate(
      "({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })",
    ) as Promise<{ scroll: number; client: number }>;

  test("the default run's report at 1400 px opens with the summary table above the fold, and a test can read it", async () => {
    run("default", join(ROOT, "sweeps", "default.yaml"));
    const manifest = JSON.parse(readFileSync(join(runs.default!, "manifest.json"), "utf8"));
    const frontier = readFileSync(join(runs.default!, "frontier.csv"), "utf8")
      .trim()
      .split("\n")
      .map((l) => l.split(","));
    const col = (name: string) => frontier[0]!.indexOf(name);
    await open(runs.default!, 1400, async (page) => {
      const [table] = await boxes(page, "#summary");
      assert.ok(
        table && table.y >= 0 && table.y + table.height <= 900,
        `summary table at ${JSON.stringify(table)}, the fold at 900 px`,
      );
      const chart = (await boxes(page, "#workloads svg"))[0]!;
      assert.ok(chart.y > table.y + table.height, "the summary comes before every chart");
      const rows =
        (await page.evaluate(`[...document.querySelectorAll("#summary tbody")].flatMap((b) => [...b.rows].map((r) =>
        [b.dataset.workload, ...[...r.cells].filter((c) => !c.classList.contains("w")).map((c) => c.textContent)]))`)) as string[][];
      assert.is(rows.length, manifest.axes.workloads.length * manifest.objectives.length);
      const names: Record<string, string> = {
        "samples per joule": "samples_per_joule",
        "samples per USD": "samples_per_usd",
        throughput: "throughput_samples_per_s",
      };
      for (const [workload, objective, system, value, margin, config, bound] of rows) {
        // the system named wins this objective on this workload in frontier.csv
        const c = col(names[objective!]!);
        const mine = frontier.slice(1).filter((f) => f[col("workload")] === workload);
        const top = Math.max(...mine.map((f) => Number(f[c])));
        assert.ok(
          mine.some((f) => f[col("system")] === system && Number(f[c]) === top),
          `${workload} ${objective}: ${system}`,
        );
        assert.match(value!, /^[\d.,]+( [kMGT])? samples\/(J|USD|s)$/);
        assert.match(margin!, /^\+\d+\.\d+ % over [a-z0-9-]+ \(/);
        assert.match(config!, /^\d+ nodes?, [a-z-]+.*, batch \d+, (fp|bf|tf)\d+$/);
        assert.ok(bound!.length > 0);
      }
      await page.screenshot({ path: join(ARTIFACTS, "report-1400.png") });
    });
  });

  test("at 1400 px the charts of a workload sit side by side across the page, with a legend of the marks' symbols", async () => {
    await open(runs.default!, 1400, async (page) => {
      const w = await widths(page);
      assert.ok(w.scroll <= w.client, `no horizontal overflow: ${w.scroll} > ${w.client}`);
      const figs = await boxes(page, "#workloads section:first-of-type figure");
      assert.is(figs.length, 3);
      assert.ok(
        Math.abs(figs[1]!.y - figs[0]!.y) < 2 && Math.abs(figs[2]!.y - figs[0]!.y) < 2,
        "three charts in one row",
      );
      assert.ok(
        figs[1]!.x >= figs[0]!.x + figs[0]!.width && figs[2]!.x >= figs[1]!.x + figs[1]!.width,
        "left to right",
      );
      assert.ok(figs[2]!.x + figs[2]!.width > 0.9 * 1400, "the row uses the page width");
      for (const b of await boxes(page, "svg"))
        assert.ok(b.x >= 0 && b.x + b.width <= w.client + 0.5, `an SVG beyond the page: ${JSON.stringify(b)}`);
      // the legend: one key per system, each drawn with a symbol in the colour the frontier dots use
      const legend = (await page.evaluate(
        `[...document.querySelectorAll("#legend .key")].map((k) => [k.textContent, k.querySelector("path")?.getAttribute("fill"), k.querySelector("path")?.getAttribute("d")])`,
      )) as string[][];
      assert.equal(
        legend.map((k) => k[0]),
        ["cpu-skylake-2s", "big-basin-v100", "zion-like", "dgx-h100"],
      );
      assert.is(new Set(legend.map((k) => k[2])).size, 4, "four different symbols");
      const dotFills = (await page.evaluate(
        `[...new Set([...document.querySelectorAll("#workloads g[aria-label=dot] [fill]")].map((e) => e.getAttribute("fill")))]`,
      )) as string[];
      for (const k of legend) assert.ok(dotFills.includes(k[1]!), `the colour of ${k[0]} is used by the marks`);
      // each system's envelope is a line in the throughput charts
      assert.ok(
        ((await page.evaluate(
          `document.querySelectorAll("#workloads section:first-of-type figure:nth-of-type(2) g[aria-label=line] path").length`,
        )) as number) >= 3,
      );
      // every axis of every chart: labelled, and no two tick labels alike (no "145, 145, 144")
      const axes = (await page.evaluate(`[...document.querySelectorAll("svg")].flatMap((svg) =>
        ["x", "y"].map((k) => ({ label: svg.querySelector('g[aria-label="' + k + '-axis label"]')?.textContent ?? null,
          ticks: [...svg.querySelectorAll('g[aria-label="' + k + '-axis tick label"] text')].map((t) => t.textContent).filter((t) => t) })))
        .filter((a) => a.ticks.length > 0)`)) as Array<{ label: string | null; ticks: string[] }>;
      assert.ok(axes.length > 20, `axes: ${axes.length}`);
      for (const a of axes) {
        assert.is(new Set(a.ticks).size, a.ticks.length, `ticks ${a.ticks.join(", ")} of ${a.label}`);
        // a numeric axis names its unit: "throughput (samples/s)"
        if (a.ticks.every((t) => /^[−-]?[\d.,]+[kMGTmµn]?$/.test(t)))
          assert.match(a.label ?? "", /\(.+\)/, a.ticks.join(", "));
      }
      await page.screenshot({ path: join(ARTIFACTS, "report-1400-full.png"), fullPage: true });
    });
  });

  test("at 800 px the charts stack, each readable at the column's width, and nothing overflows sideways", async () => {
    await open(runs.default!, 800, async (page) => {
      const w = await widths(page);
      assert.ok(w.scroll <= w.client, `no horizontal overflow: ${w.scroll} > ${w.client}`);
      const [table] = await boxes(page, "#summary");
      assert.ok(table!.x >= 0 && table!.x + table!.width <= w.client, "the summary table fits the width");
      const figs = await boxes(page, "#workloads section:first-of-type figure");
      assert.ok(
        figs[1]!.y >= figs[0]!.y + figs[0]!.height - 1 && figs[2]!.y >= figs[1]!.y + figs[1]!.height - 1,
        "one chart under another",
      );
      const svgs = await boxes(page, "#workloads svg");
      for (const b of svgs)
        assert.ok(b.width >= 0.85 * 760 && b.x + b.width <= w.client, `a chart ${b.width} px wide at x ${b.x}`);
      const keys = await boxes(page, "#legend .key");
      assert.is(keys.length, 4, "the legend at 800 px");
      for (const k of keys) assert.ok(k.x >= 0 && k.x + k.width <= w.client, "a legend key within the page");
      await page.screenshot({ path: join(ARTIFACTS, "report-800.png") });
    });
  });

  test("a report opened at 1400 px and narrowed to 800 px redraws its charts at the new width", async () => {
    await open(runs.default!, 1400, async (page) => {
      await page.setViewportSize({ width: 800, height: 900 });
      await page.waitForSelector("body[data-drawn-at='800']", { timeout: 5000 });
      const w = await widths(page);
      assert.ok(w.scroll <= w.client);
      const figs = await boxes(page, "#workloads section:first-of-type figure");
      assert.ok(figs[1]!.y > figs[0]!.y, "stacked after the resize");
    });
  });

  test("a spec's output.report_workloads chooses the workloads the report opens with", async () => {
    const spec = join(tempDir(), "chosen.yaml");
    const tiny = readFileSync(join(FIXTURES, "tiny.yaml"), "utf8").replace("name: tiny", "name: chosen");
    writeFileSync(spec, `${tiny}output: { report_workloads: ["embedding_dim=64"] }\n`);
    run("chosen", spec);
    await open(runs.chosen!, 1280, async (page) => {
      const shown = (await page.evaluate(
        `[...document.querySelectorAll("#summary tbody[data-workload]:not([hidden])")].map((b) => b.dataset.workload)`,
      )) as string[];
      assert.equal(shown, ["dlrm-paper-sample embedding_dim=64"]);
    });
  });

  test("the tiny run's report draws every chart, shows a tooltip on hover, sorts its table, and the picker filters", async () => {
    run("tiny", join(FIXTURES, "tiny.yaml"));
    await open(runs.tiny!, 1280, async (page) => {
      const counts = (await page.evaluate(`(() => {
        const n = (s) => document.querySelectorAll(s).length;
        return { sections: n("#workloads section"), charts: n("#workloads svg"), marks: n("#workloads svg circle, #workloads svg path"),
          breakdownBars: n("#breakdown svg rect"), sensitivity: n("#sensitivity svg"), infeasible: n("#infeasible svg rect"),
          calibration: n("#calibration svg path, #calibration svg circle"), tableRows: n("#table tbody tr"), summary: n("#summary tbody:not([hidden])") };
      })()`)) as Record<string, number>;
      assert.is(counts.sections, 3);
      assert.is(counts.charts, 9);
      assert.ok(counts.marks! > 20, `marks: ${counts.marks}`);
      assert.ok(counts.breakdownBars! > 3, `breakdown bars: ${counts.breakdownBars}`);
      assert.ok(counts.sensitivity! >= 4, `sensitivity charts: ${counts.sensitivity}`);
      assert.ok(counts.infeasible! > 0);
      assert.ok(counts.calibration! > 50, `calibration marks: ${counts.calibration}`);
      assert.ok(counts.tableRows! > 0);
      assert.is(counts.summary, 3);
      // hover a frontier point: Plot's tip shows the configuration
      const dot = page
        .locator("#workloads figure")
        .first()
        .locator("svg g[aria-label=dot] circle, svg g[aria-label=dot] path")
        .last();
      await dot.scrollIntoViewIfNeeded(); // the first chart can reach below the fold, where the mouse cannot hover
      const box = await dot.boundingBox();
      assert.ok(box, "a frontier dot to hover");
      await page.mouse.move(box!.x + box!.width / 2, box!.y + box!.height / 2);
      await page.waitForFunction(
        `/samples\\/J/.test(document.querySelector("#workloads g[aria-label=tip]")?.textContent ?? "")`,
        undefined,
        { timeout: 5000 },
      );
      await page.locator("#table th", { hasText: "samples_per_joule" }).click();
      // the filter keeps the workloads whose label contains the text: the summary, charts and table follow
      await page.fill("#wl-filter", "rmc1");
      const after =
        (await page.evaluate(`({ summary: [...document.querySelectorAll("#summary tbody:not([hidden])")].map((b) => b.dataset.workload),
        sections: [...document.querySelectorAll("#workloads section")].map((s) => s.dataset.workload),
        table: new Set([...document.querySelectorAll("#table tbody tr td:first-child")].map((td) => td.textContent)).size,
        count: document.getElementById("wl-count").textContent })`)) as {
          summary: string[];
          sections: string[];
          table: number;
          count: string;
        };
      assert.equal(after.summary, ["deeprecsys-rmc1"]);
      assert.equal(after.sections, ["deeprecsys-rmc1"]);
      assert.is(after.table, 1);
      assert.is(after.count, "1 of 3 workloads shown");
    });
  });

  test("a large choice of workloads draws the first four at once and the others as they scroll into view", async () => {
    const spec = join(tempDir(), "eight.yaml");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(
      spec,
      readFileSync(join(FIXTURES, "tiny.yaml"), "utf8").replace("[32, 64]", "[8, 16, 32, 64, 128, 256, 512]"),
    );
    run("eight", spec);
    await open(runs.eight!, 1400, async (page) => {
      assert.is(await page.textContent("#wl-count"), "4 of 8 workloads shown");
      assert.is((await page.evaluate(`document.querySelectorAll("#summary tbody:not([hidden])").length`)) as number, 4);
      await page.click("#wl-all");
      assert.is(await page.textContent("#wl-count"), "8 of 8 workloads shown");
      const svgs = () =>
        page.evaluate(
          `[...document.querySelectorAll("#workloads section")].map((s) => s.querySelectorAll("svg").length)`,
        ) as Promise<number[]>;
      assert.equal(await svgs(), [3, 3, 3, 3, 0, 0, 0, 0]);
      await page.locator("#workloads section").last().scrollIntoViewIfNeeded();
      await page.waitForFunction(`document.querySelector("#workloads section:last-of-type svg") !== null`, undefined, {
        timeout: 5000,
      });
      assert.is((await svgs()).at(-1), 3);
    });
  });

  test("a run with no feasible point opens with a loud banner and draws no empty axes", async () => {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(
      specNone,
      "schemaVersion: 1\nname: none\nsystems: [cpu-skylake-2s]\nnodes: [1, 2]\nplacements: [hbm-table-wise]\n" +
        "models:\n  - preset: deeprecsys-rmc1\ntraining:\n  batch_size: [2048]\n  precision: [fp32]\n",
    );
    run("none", specNone);
    await open(runs.none!, 1400, async (page) => {
      const [banner] = await boxes(page, "#banner");
      assert.ok(banner && banner.y < 120 && banner.height > 30, `banner at ${JSON.stringify(banner)}`);
      assert.match(
        (await page.textContent("#banner"))!,
        /No feasible point\. All 2 design points scored are infeasible: needs-accelerator: 2/,
      );
      for (const id of ["workloads", "breakdown", "sensitivity", "table"]) {
        assert.is(
          (await page.evaluate(`document.querySelectorAll("#${id} svg").length`)) as number,
          0,
          `no SVG in #${id}`,
        );
        assert.match((await page.textContent(`#${id} .empty`))!, /No feasible point/);
      }
      await page.screenshot({ path: join(ARTIFACTS, "report-no-feasible.png") });
    });
  });
}

test.run();
