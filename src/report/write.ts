// Writes report.html into a run folder from the folder's own files.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { readRunFolder } from "./data.ts";
import { reportHtml } from "./html.ts";

export function writeReport(dir: string, file = join(dir, "report.html")): void {
  writeFileSync(file, reportHtml(readRunFolder(dir)));
}
