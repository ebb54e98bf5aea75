// Build step (scripts/bundle-cli.mjs runs it): loads the bundled CLI, runs sweeps/default.yaml into a temporary
// folder, and writes the code V8 compiled for it beside the bundle (dist/recsweep.cjs.v8cache).
// usage: node scripts/cli-code-cache.mjs BUNDLE OUT_DIR
import { writeCodeCacheAfter } from "../dist/src/input/code-cache.js";

const [bundle, out] = process.argv.slice(2);
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = () => true; // the run's summary is not the build's output
await writeCodeCacheAfter(bundle, async (m) => {
  const code = await m.main(["run", "sweeps/default.yaml", "--quiet", "--out", out, "--force"]);
  if (code !== 0) throw new Error(`the exercise run exited with ${code}`);
});
process.stdout.write = write;
