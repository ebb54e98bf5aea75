// Argument parsing shared by the commands: node's parseArgs, with unknown options as input errors.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError } from "../input/errors.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;
const HELP = { help: { type: "boolean", short: "h" } } as const;

export function parse<T extends Options>(argv: string[], options: T, usage: string) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, ...HELP } as T & typeof HELP,
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new InputError(`${(e as Error).message}\n\n${usage}`);
  }
}

export function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InputError(`${name}: '${value}' is not a positive integer (expected e.g. ${name} 2)`);
  return Number(value);
}
