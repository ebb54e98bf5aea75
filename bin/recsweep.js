#!/usr/bin/env node
// Entry point: runs the compiled CLI (built by `npm ci`/`npm run build` into dist/).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const compiled = new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(compiled))) {
  console.error("recsweep: not built yet; run `npm ci` (or `npm run build`) in the project folder");
  process.exit(1);
}
const { main } = await import(compiled.href);
process.exitCode = await main(process.argv.slice(2));
