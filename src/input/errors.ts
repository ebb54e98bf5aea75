// Errors the user can fix (exit code 2). Everything else is an internal error (exit code 1).
export class InputError extends Error {
  readonly problems: string[];
  constructor(problems: string | string[]) {
    const list = sortByPosition(Array.isArray(problems) ? problems : [problems]);
    super(list.join("\n"));
    this.name = "InputError";
    this.problems = list;
  }
}

export const MAX_REPORTED_PROBLEMS = 20;
/** A message never runs longer than this many lines, whatever its problems hold. */
export const MAX_MESSAGE_LINES = 25;

/** The problems, capped at a readable number (and at 25 lines), then "and N more". */
export function formatProblems(problems: readonly string[], cap = MAX_REPORTED_PROBLEMS): string {
  const shown: string[] = [];
  let lines = 0;
  for (const p of problems.slice(0, cap)) {
    const n = p.split("\n").length;
    if (lines + n > MAX_MESSAGE_LINES - 1 && shown.length > 0) break;
    shown.push(
      n > MAX_MESSAGE_LINES - 1
        ? p
            .split("\n")
            .slice(0, MAX_MESSAGE_LINES - 1)
            .join("\n")
        : p,
    );
    lines += n;
  }
  const rest = problems.length - shown.length;
  return shown.join("\n") + (rest > 0 ? `\n... and ${rest} more` : "");
}

const POSITION = /^(.+?):(\d+):(\d+): /;

/**
 * Problems in reading order: those that start with "file:line:col: " sorted by file (in the order files first
 * appear), then line, then column; problems without a position keep their slots. Stable for equal positions.
 */
export function sortByPosition(problems: readonly string[]): string[] {
  const fileOrder = new Map<string, number>();
  const positioned: Array<{ p: string; file: number; line: number; col: number; i: number }> = [];
  const slots: number[] = [];
  problems.forEach((p, i) => {
    const m = POSITION.exec(p);
    if (!m) return;
    if (!fileOrder.has(m[1]!)) fileOrder.set(m[1]!, fileOrder.size);
    positioned.push({ p, file: fileOrder.get(m[1]!)!, line: Number(m[2]), col: Number(m[3]), i });
    slots.push(i);
  });
  positioned.sort((a, b) => a.file - b.file || a.line - b.line || a.col - b.col || a.i - b.i);
  const out = problems.slice();
  slots.forEach((slot, k) => {
    out[slot] = positioned[k]!.p;
  });
  return out;
}
