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

/** The problems, capped at a readable number, then "and N more". */
export function formatProblems(problems: readonly string[], cap = MAX_REPORTED_PROBLEMS): string {
  const shown = problems.slice(0, cap);
  const rest = problems.length - shown.length;
  return shown.join("\n") + (rest > 0 ? `\n... and ${rest} more` : "");
}
