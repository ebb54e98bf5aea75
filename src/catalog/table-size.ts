// A table group gives its size as rows or as size_gb, exactly one of them: checked after the schema, with positions.
import type { ParsedFile, PathSegment } from "../input/read.ts";

/**
 * Table groups at `path` (a list in `parsed.data`, e.g. ["models", 0, "tables"]) that give both rows and size_gb,
 * or neither: one positioned message each ("file:line:col: models[0].tables[1]: ..."). Tolerant of values the
 * schema already refused (anything not a list of mappings is skipped).
 */
export function tableSizeProblems(parsed: ParsedFile, path: readonly PathSegment[]): string[] {
  let v: unknown = parsed.data;
  for (const k of path) v = v && typeof v === "object" ? (v as Record<string | number, unknown>)[k] : undefined;
  if (!Array.isArray(v)) return [];
  const label = path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
  const out: string[] = [];
  v.forEach((g, i) => {
    if (!g || typeof g !== "object" || Array.isArray(g)) return;
    const hasRows = "rows" in g;
    const hasSize = "size_gb" in g;
    if (hasRows && hasSize)
      out.push(
        `${parsed.where([...path, i], "size_gb")}: ${label}[${i}].size_gb: both rows and size_gb are given ` +
          "(expected one of them: rows per table, or size_gb with the rows derived from the dim and embedding " +
          "precision)",
      );
    else if (!hasRows && !hasSize)
      out.push(
        `${parsed.where([...path, i])}: ${label}[${i}]: neither rows nor size_gb is given (expected rows: rows per ` +
          "table, or size_gb: GB of one table's weights)",
      );
  });
  return out;
}
