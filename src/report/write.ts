// Writes report.html into a run folder from the folder's own files.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ReportData, readRunFolder } from "./data.ts";
import { reportHtml } from "./html.ts";

/** Writes the report; returns what it read (the caller may print its summary without reading the folder again). */
export function writeReport(dir: string, file = join(dir, "report.html")): ReportData {
  const data = readRunFolder(dir);
  writeFileSync(file, reportHtml(data));
  return data;
}
