// The fuzzing harness: generated specs, catalogs and measurement files (tests/fuzz-lib.ts: from the schemas, with
// mutations and odd encodings) are each accepted or refused with a user error (exit 2), within 10 s and 1 GB, and
// change no file outside the chosen output folder; a few real CLI processes cover the file-system cases. The seed
// is printed (FUZZ_SEED=N reruns one); inputs that fail are written to out/fuzz-failures/ for tests/fuzz-corpus/.
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  catalogDoc,
  checkCatalogDir,
  checkMeasurements,
  checkSpecFile,
  measurementBytes,
  mutated,
  saveFailure,
  specDoc,
} from "./fuzz-lib.ts";
import { cli, FIXTURES, ROOT, tempDir } from "./helpers.ts";

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const scale = Number(process.env.FUZZ_SCALE ?? 1);
console.log(`fuzz seed ${seed} (rerun with FUZZ_SEED=${seed}); scale ${scale}`);
const runs = (n: number) => Math.max(1, Math.round(n * scale));
const counts: Record<string, { accepted: number; refused: number; ms: number }> = {};
const tally = (kind: string, accepted: boolean, ms: number) => {
  const c = (counts[kind] ??= { accepted: 0, refused: 0, ms: 0 });
  if (accepted) c.accepted++;
  else c.refused++;
  c.ms += ms;
};

/** Hashes of every file under the project's inputs, to show the fuzzing wrote nothing there. */
function projectSnapshot(): string {
  const h = createHash("sha256");
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (lstatSync(p).isDirectory()) walk(p);
      else h.update(`${p}\n`).update(readFileSync(p));
    }
  };
  for (const d of ["hardware", "schemas", "sweeps", join("tests", "fixtures"), join("tests", "bad-inputs")])
    walk(join(ROOT, d));
  return h.digest("hex");
}
const before = projectSnapshot();
const work = tempDir("recsweep-fuzz-");
let n = 0;

test("generated and mutated specs are accepted or refused with exit 2, within time and memory", async () => {
  await fc.assert(
    fc.asyncProperty(mutated(specDoc), async (input) => {
      const f = join(work, `spec-${n++}${input.ext}`);
      writeFileSync(f, input.bytes);
      const t = performance.now();
      try {
        tally("specs", (await checkSpecFile(f)).accepted, performance.now() - t);
      } catch (e) {
        saveFailure("specs", `spec-${seed}-${n}${input.ext}`, input.bytes);
        throw new Error(`${input.label}: ${(e as Error).message}`);
      }
    }),
    { seed, numRuns: runs(1300), endOnFailure: true },
  );
  assert.ok(counts.specs!.accepted > 0 && counts.specs!.refused > 0, JSON.stringify(counts.specs));
});

test("generated and mutated catalog folders are accepted or refused with exit 2, and what they hold is scored", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(mutated(catalogDoc), { minLength: 1, maxLength: 2 }), async (files) => {
      const dir = join(work, `catalog-${n++}`);
      mkdirSync(dir);
      files.forEach((input, i) => writeFileSync(join(dir, `part${i}${input.ext}`), input.bytes));
      const t = performance.now();
      try {
        tally("catalogs", (await checkCatalogDir(dir, work)).accepted, performance.now() - t);
      } catch (e) {
        files.forEach((input, i) => saveFailure(`catalog-${seed}-${n}`, `part${i}${input.ext}`, input.bytes));
        throw new Error(`${files.map((f) => f.label).join(" + ")}: ${(e as Error).message}`);
      }
    }),
    { seed, numRuns: runs(400), endOnFailure: true },
  );
  assert.ok(counts.catalogs!.accepted > 0 && counts.catalogs!.refused > 0, JSON.stringify(counts.catalogs));
});

test("generated measurement files are accepted or refused with exit 2 naming the field", async () => {
  await fc.assert(
    fc.asyncProperty(measurementBytes, async (bytes) => {
      const f = join(work, `m-${n++}.csv`);
      writeFileSync(f, bytes);
      const t = performance.now();
      try {
        tally("measurements", (await checkMeasurements(f)).accepted, performance.now() - t);
      } catch (e) {
        saveFailure("measurements", `m-${seed}-${n}.csv`, bytes);
        throw e;
      }
    }),
    { seed, numRuns: runs(800), endOnFailure: true },
  );
  assert.ok(counts.measurements!.accepted > 0 && counts.measurements!.refused > 0, JSON.stringify(counts.measurements));
});

/** Entries under `dir` with content hashes, except `skip`. */
function contents(dir: string, skip: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name),
        r = rel ? `${rel}/${name}` : name;
      if (p === skip) continue;
      if (lstatSync(p).isDirectory()) {
        out[`${r}/`] = "";
        walk(p, r);
      } else out[r] = createHash("sha256").update(readFileSync(p)).digest("hex");
    }
  };
  walk(dir, "");
  return out;
}

test("real CLI runs of generated specs onto generated --out targets exit 0 or 2 and change nothing outside --out", () => {
  const targets = ["new", "user-folder", "user-file", "", ".", "own-run", "sandbox", "under-file"] as const;
  const target = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom("new", "own-run") },
    { weight: 6, arbitrary: fc.constantFrom(...targets) },
  );
  const cases = fc.sample(fc.record({ spec: mutated(specDoc), target }), { seed, numRuns: runs(10) });
  const tiny = readFileSync(join(FIXTURES, "tiny.yaml"), "utf8");
  for (const [i, c] of cases.entries()) {
    const sandbox = tempDir("recsweep-fuzz-cli-");
    mkdirSync(join(sandbox, "user-folder"));
    writeFileSync(join(sandbox, "user-folder", "notes.md"), "mine\n");
    writeFileSync(join(sandbox, "user-file"), "mine\n");
    // half the cases run the generated spec, half a valid one, so the --out checks are reached
    const specText = i % 2 ? c.spec.bytes : tiny;
    const spec = join(sandbox, `spec${i % 2 ? c.spec.ext : ".yaml"}`);
    writeFileSync(spec, specText);
    if (c.target === "own-run")
      assert.is(cli(["run", join(FIXTURES, "tiny.yaml"), "--out", join(sandbox, "own-run"), "--quiet"]).code, 0);
    const out =
      c.target === "new"
        ? join(sandbox, "results")
        : c.target === "sandbox"
          ? sandbox
          : c.target === "under-file"
            ? join(sandbox, "user-file", "run")
            : c.target === "" || c.target === "."
              ? c.target
              : join(sandbox, c.target);
    const outAbs = out === "" || out === "." ? sandbox : out;
    const skip = c.target === "new" || c.target === "own-run" ? outAbs : "";
    const pre = contents(sandbox, skip);
    const r = cli(["run", spec, "--out", out, "--quiet"], sandbox);
    tally("cli", r.code === 0, 0);
    assert.ok(
      r.code === 0 || r.code === 2,
      `case ${i} (${c.spec.label}, --out ${c.target}): exit ${r.code}\n${r.stderr}`,
    );
    assert.not.match(r.stderr, /internal error|\n\s+at /);
    assert.equal(contents(sandbox, skip), pre, `case ${i} (--out ${c.target}): files outside --out changed`);
    if (r.code === 0) assert.ok(existsSync(join(outAbs, "manifest.json")));
  }
});

test("the fuzzing changed no file of the project, and ran at least 2,000 inputs", () => {
  assert.is(projectSnapshot(), before);
  const total = Object.values(counts).reduce((a, c) => a + c.accepted + c.refused, 0);
  console.log(
    `fuzz: ${total} inputs: ${Object.entries(counts)
      .map(
        ([k, c]) =>
          `${k} ${c.accepted} accepted / ${c.refused} refused${c.ms ? ` (${(c.ms / 1000).toFixed(1)} s)` : ""}`,
      )
      .join(", ")}`,
  );
  if (scale >= 1) assert.ok(total >= 2000, `${total} inputs`);
});

test.run();
