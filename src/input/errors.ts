// Errors the user can fix (exit code 2). Everything else is an internal error (exit code 1).
export class InputError extends Error {
  readonly problems: string[];
  constructor(problems: string | string[]) {
    const list = Array.isArray(problems) ? problems : [problems];
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
