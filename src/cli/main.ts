// recsweep command line: dispatches to a command; exit codes 0 ok, 2 bad input, 1 internal error.
import { InputError, formatProblems } from "../input/errors.ts";
type Command = { run: (argv: string[]) => Promise<number>; summary: string };

// each command's module is loaded only when that command runs: a run does not pay for calibrate, explain, ...
// (importing every command was ~40 ms of a small run's start-up)
export const COMMANDS: Record<string, Command> = {
  run: {
    run: async (argv) => (await import("./run.ts")).runCommand(argv),
    summary: "score a sweep spec and write its run folder",
  },
  check: {
    run: async (argv) => (await import("./check.ts")).checkCommand(argv),
    summary: "validate a sweep spec; writes nothing",
  },
  catalog: {
    run: async (argv) => (await import("./catalog.ts")).catalogCommand(argv),
    summary: "list catalog entries",
  },
  calibrate: {
    run: async (argv) => (await import("./calibrate.ts")).calibrateCommand(argv),
    summary: "fit the model to measurements; writes hardware/fit/fit.json",
  },
  merge: {
    run: async (argv) => (await import("./merge.ts")).mergeCommand(argv),
    summary: "merge shard folders (run --shard K/N) into one run folder",
  },
  report: {
    run: async (argv) => (await import("./report.ts")).reportCommand(argv),
    summary: "rebuild report.html from a run folder",
  },
  explain: {
    run: async (argv) => (await import("./explain.ts")).explainCommand(argv),
    summary: "explain one design point of a run: breakdown and frontier status",
  },
  validate: {
    run: async (argv) => (await import("./validate.ts")).validateCommand(argv),
    summary: "compare predictions with a measurement file",
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return `recsweep: design-space sweeps for training recommendation models, per watt and per dollar

usage: recsweep <command> [options]    (recsweep <command> --help for details)

commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  .join("\n")}`;
}

let pipeGuarded = false;

export async function main(argv: string[]): Promise<number> {
  // output piped into a reader that stops early (| head): end quietly, not with an unhandled EPIPE
  if (!pipeGuarded) {
    pipeGuarded = true;
    process.stdout.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
      throw e;
    });
  }
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name ? 0 : 2;
  }
  if (name === "--version") {
    const { TOOL_VERSION } = await import("../paths.ts");
    console.log(TOOL_VERSION);
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(
      `recsweep: unknown command '${name}' (expected one of: ${Object.keys(COMMANDS).join(", ")})\n\n${usage()}`,
    );
    return 2;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof InputError) {
      console.error(formatProblems(e.problems));
      return 2;
    }
    console.error(`recsweep: internal error: ${(e as Error).message}`);
    if (process.env.RECSWEEP_DEBUG) console.error((e as Error).stack);
    return 1;
  }
}
