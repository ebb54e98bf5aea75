#!/usr/bin/env node
// Entry point: runs the compiled CLI (built by `npm ci`/`npm run build`): the bundle dist/recsweep.cjs from V8's code
// cache (scripts/bundle-cli.mjs), or, without it, the modules under dist/src/.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const bundle = fileURLToPath(new URL("../dist/recsweep.cjs", import.meta.url));
const compiled = new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(compiled))) {
  console.error("recsweep: not built yet; run `npm ci` (or `npm run build`) in the project folder");
  process.exit(1);
}
const { main } = existsSync(bundle)
  ? (await import("../dist/src/input/code-cache.js")).requireCached(bundle)
  : await import(compiled.href);
process.exitCode = await main(process.argv.slice(2));
