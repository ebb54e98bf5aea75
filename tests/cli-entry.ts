// The CLI entry for tests: the TypeScript sources under tsx, as bin/recsweep.js runs the compiled ones.
import { main } from "../src/cli/main.ts";
process.exitCode = await main(process.argv.slice(2));
