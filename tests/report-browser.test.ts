// Opens the report of a small run in headless Chromium (Debian's package) from file:// and checks it as a user
// would see it: every chart drawn, a tooltip on hover, no console error, no request leaving file://.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdirSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { cli, FIXTURES, ROOT, tempDir } from "./helpers.ts";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));

if (!CHROMIUM) {
  console.log("skipped: install chromium (Debian package 'chromium') for the report browser test");
} else {
  test("the report renders every chart offline, shows a tooltip on hover and logs no error", async () => {
    const { chromium } = await import("playwright-core");
    const out = join(tempDir(), "run");
    assert.is(cli(["run", join(FIXTURES, "tiny.yaml"), "--out", out, "--quiet"]).code, 0);
    const browser = await chromium.launch({
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
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      const external: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("request", (r) => {
        if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) external.push(r.url());
      });
      await page.goto(pathToFileURL(join(out, "report.html")).href);
      await page.waitForSelector("body[data-rendered=true]", { timeout: 20000 });
      // Browser-side code as strings: the test runner's transpiler would wrap functions in helpers the page lacks.
      const counts = (await page.evaluate(`(() => {
        const marks = (id) => document.querySelectorAll("#" + id + " svg circle, #" + id + " svg path, #" + id + " svg rect").length;
        return {
          frontier: document.querySelectorAll("#frontier svg").length, frontierMarks: marks("frontier"),
          tradeoffs: document.querySelectorAll("#tradeoffs svg").length, breakdownBars: document.querySelectorAll("#breakdown svg rect").length,
          sensitivity: document.querySelectorAll("#sensitivity svg").length, infeasible: marks("infeasible"),
          calibration: marks("calibration"), tableRows: document.querySelectorAll("#table tbody tr").length,
        };
      })()`)) as Record<string, number>;
      assert.ok(counts.frontier! >= 3, `frontier charts: ${counts.frontier}`);
      assert.ok(counts.frontierMarks! > 20, `frontier marks: ${counts.frontierMarks}`);
      assert.ok(counts.tradeoffs! >= 2);
      assert.ok(counts.breakdownBars! > 3, `breakdown bars: ${counts.breakdownBars}`);
      assert.ok(counts.sensitivity! >= 4, `sensitivity charts: ${counts.sensitivity}`);
      assert.ok(counts.infeasible! > 0);
      assert.ok(counts.calibration! > 50, `calibration marks: ${counts.calibration}`);
      assert.ok(counts.tableRows! > 0);
      // Hover the first frontier point: Plot's tip shows the configuration.
      const dot = page
        .locator("#frontier figure")
        .first()
        .locator("svg g[aria-label=dot] circle, svg g[aria-label=dot] path")
        .last();
      const box = await dot.boundingBox();
      assert.ok(box, "a frontier dot to hover");
      await page.mouse.move(box!.x + box!.width / 2, box!.y + box!.height / 2);
      await page.waitForFunction(
        `/samples\\/J/.test(document.querySelector("#frontier g[aria-label=tip]")?.textContent ?? "")`,
        undefined,
        { timeout: 5000 },
      );
      // Sorting the table by clicking a header reorders it.
      await page.locator("#table th", { hasText: "samples_per_joule" }).click();
      const shot = join(out, "report-screenshot.png");
      await page.screenshot({ path: shot, fullPage: false });
      mkdirSync(join(ROOT, "out", "test-artifacts"), { recursive: true });
      copyFileSync(shot, join(ROOT, "out", "test-artifacts", "report-screenshot.png"));
      assert.equal(errors, []);
      assert.equal(external, []);
    } finally {
      await browser.close();
    }
  });
}

test.run();
