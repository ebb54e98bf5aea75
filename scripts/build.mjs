// Build: transpile src/ to dist/ (esbuild, one file per module, .ts imports rewritten to .js), then emit the JSON
// Schemas from their TypeBox source and the report's browser bundle. Type checking is `npm run typecheck`.
import { readdirSync, readFileSync, mkdirSync, writeFileSync, statSync, rmSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { transform, build } from "esbuild";
import { bundleCli } from "./bundle-cli.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src");
const dist = join(root, "dist", "src");

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith(".ts") && !p.endsWith(".d.ts") ? [p] : [];
  });
}

rmSync(join(root, "dist"), { recursive: true, force: true });
const files = walk(src);
const rewrite = (code) => code.replace(/((?:from\s*|import\s*\(\s*)["'])(\.{1,2}\/[^"']+?)\.ts(["'])/g, "$1$2.js$3");
await Promise.all(
  files
    .filter((f) => !f.includes(`${join("src", "report", "client")}`))
    .map(async (file) => {
      const out = join(dist, relative(src, file)).replace(/\.ts$/, ".js");
      const { code } = await transform(readFileSync(file, "utf8"), {
        loader: "ts",
        format: "esm",
        target: "node20",
        sourcefile: file,
      });
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, rewrite(code));
    }),
);

// JSON Schemas for editors and notebooks, generated from the TypeBox source of truth.
const { emitSchemas } = await import(join(dist, "schema", "emit.js"));
emitSchemas(join(root, "schemas"));
// ...and each compiled to a validator module, so runs skip ajv's compile at start-up.
const { writePrecompiledValidators } = await import(join(dist, "input", "precompile.js"));
writePrecompiledValidators();
// ...and the built-in catalog checked once, so runs skip checking files that have not changed since.
const { recordBuiltInCheck } = await import(join(dist, "catalog", "load.js"));
recordBuiltInCheck();

// The report's browser bundle (Plot + the d3 parts it uses), inlined into every report.html.
const clientEntry = join(src, "report", "client", "main.ts");
try {
  statSync(clientEntry);
  await build({
    entryPoints: [clientEntry],
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2020",
    outfile: join(root, "dist", "report-client.js"),
    legalComments: "none",
    logLevel: "error",
  });
} catch (e) {
  if (e.code !== "ENOENT") throw e;
}
// The CLI as one file with its code cache (bin/recsweep.js loads it when present).
await bundleCli(root);
console.log(`built ${files.length} modules into dist/, and the CLI bundled into dist/recsweep.cjs`);
