// Build step: the CLI as one CommonJS file, dist/recsweep.cjs (esbuild, from the transpiled dist/src/), with V8's
// code cache beside it, which bin/recsweep.js loads when present. A small run spent ~100 ms resolving and loading
// ~180 modules (ours and the yaml parser's) and compiling their functions anew each time; one file from its code
// cache costs a fraction of that (README, "Speed"). Worker threads and the bench still load dist/src/ module by
// module; piscina stays outside the bundle (it starts its own worker file from its folder).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { build } from "esbuild";

/**
 * Each module keeps its own `import.meta.url` (the URL of its file under dist/src/): the project root, the worker
 * file and the points encoders are found from it, as in the unbundled build.
 */
function ownModuleUrl(distDir) {
  return {
    name: "own-module-url",
    setup(b) {
      b.onLoad({ filter: /[/\\]dist[/\\]src[/\\].*\.js$/ }, (args) => {
        const rel = relative(distDir, args.path).split("\\").join("/");
        const url = `require("node:url").pathToFileURL(require("node:path").join(__dirname, ${JSON.stringify(rel)})).href`;
        // a library our ESM modules load on use through createRequire (csv-parse, csv-stringify) becomes a plain
        // require: esbuild bundles it as a lazy module, so it comes from the code cache too
        const contents = readFileSync(args.path, "utf8")
          .replace(/createRequire\(import\.meta\.url\)\(("csv-(?:parse|stringify)\/sync")\)/g, "require($1)")
          .replaceAll("import.meta.url", url);
        return { contents, loader: "js" };
      });
    },
  };
}

export async function bundleCli(root) {
  const distDir = join(root, "dist");
  const outfile = join(distDir, "recsweep.cjs");
  await build({
    entryPoints: [join(distDir, "src", "cli", "main.js")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    // the dynamic import()s of our own modules become lazy initialisers inside the bundle
    supported: { "dynamic-import": false },
    banner: { js: '"use strict";' },
    external: ["piscina"],
    plugins: [ownModuleUrl(distDir)],
    outfile,
    logLevel: "error",
  });
  // The code cache holds what V8 compiled while running the default sweep once, in a separate process (its output
  // goes to a temporary folder, and its V8 flags are a plain run's, as V8 checks them when it reads the cache).
  const out = mkdtempSync(join(tmpdir(), "recsweep-cache-"));
  try {
    const r = spawnSync(process.execPath, [join(root, "scripts", "cli-code-cache.mjs"), outfile, out], {
      cwd: root,
      encoding: "utf8",
    });
    if (r.status !== 0) console.warn(`code cache for dist/recsweep.cjs not written:\n${r.stderr}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
