// Property tests over generated specs: every valid spec runs and accounts for every point; every spec broken in
// one of the ways users break them gives an input error (exit 2) that says where and what was expected.
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runSweep } from "../src/run/sweep.ts";
import { InputError } from "../src/input/errors.ts";
import { PLACEMENTS, PRECISIONS } from "../src/schema/spec.ts";
import { loadSpec } from "../src/spec/resolve.ts";
import { totalPoints } from "../src/space/space.ts";
import { tempDir } from "./helpers.ts";

const SYSTEMS = [
  "cpu-skylake-2s",
  "big-basin-v100",
  "zion-like",
  "dgx-a100-80gb",
  "dgx-h100",
  "pcie-8x-l40s",
  "mi300x-8",
  "gaudi2-8",
];
const MODELS = [
  "deeprecsys-rmc1",
  "deeprecsys-rmc2",
  "deeprecsys-rmc3",
  "dlrm-mlperf-v1",
  "dlrm-dcnv2-mlperf",
  "production-scale",
];
const dir = tempDir();
let n = 0;

const subset = <T>(xs: readonly T[], max: number) =>
  fc.uniqueArray(fc.constantFrom(...xs), { minLength: 1, maxLength: max });
const validSpec = fc.record({
  schemaVersion: fc.constant(1),
  name: fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/),
  systems: subset(SYSTEMS, 3),
  nodes: fc.oneof(
    fc.uniqueArray(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 3 }),
    fc.constant({ from: 1, to: 16, scale: "pow2" }),
  ),
  placements: subset(PLACEMENTS, 4),
  ps_nodes: fc.uniqueArray(fc.integer({ min: 1, max: 16 }), { minLength: 1, maxLength: 2 }),
  models: fc.uniqueArray(
    fc.record(
      {
        preset: fc.constantFrom(...MODELS),
        sweep: fc.option(
          fc.record({
            embedding_dim: fc.uniqueArray(fc.constantFrom(16, 32, 64, 128), { minLength: 1, maxLength: 2 }),
          }),
          { nil: undefined },
        ),
      },
      { requiredKeys: ["preset"] },
    ),
    { minLength: 1, maxLength: 2, selector: (m) => m.preset },
  ), // each model once
  training: fc.record({
    batch_size: fc.uniqueArray(fc.integer({ min: 64, max: 1 << 20 }), { minLength: 1, maxLength: 3 }),
    precision: subset(PRECISIONS, 2),
  }),
  cost: fc.record({ basis: fc.constantFrom("capital", "cloud"), pue: fc.double({ min: 1, max: 2, noNaN: true }) }),
});

function write(spec: unknown): string {
  const f = join(dir, `s${n++}.json`);
  writeFileSync(
    f,
    JSON.stringify(spec, (_k, v) => (v === undefined ? undefined : v), 2),
  );
  return f;
}

test("every generated valid spec runs and accounts for every design point", async () => {
  await fc.assert(
    fc.asyncProperty(validSpec, async (spec) => {
      const { plan } = loadSpec(write(spec));
      const r = await runSweep(plan, { workers: 1, wantPoints: false });
      const total = totalPoints(plan);
      assert.is(r.pointsScored, total);
      assert.is(
        [...r.reasonCounts].reduce((a, b) => a + b, 0),
        total,
      );
      if (r.reasonCounts[0]! > 0) assert.ok(r.frontier.length > 0);
    }),
    { numRuns: 40 },
  );
});

type Mutation = (s: Record<string, unknown>) => Record<string, unknown>;
const MUTATIONS: Array<[string, Mutation]> = [
  ["unknown key", (s) => ({ ...s, colour: "blue" })],
  ["wrong type", (s) => ({ ...s, nodes: "many" })],
  [
    "missing key",
    (s) => {
      const { training: _t, ...rest } = s;
      return rest;
    },
  ],
  ["negative value", (s) => ({ ...s, training: { ...(s.training as object), batch_size: [-1] } })],
  ["out of range", (s) => ({ ...s, cost: { pue: 0.2 } })],
  ["dangling system", (s) => ({ ...s, systems: ["no-such-system"] })],
  ["dangling model", (s) => ({ ...s, models: [{ preset: "no-such-model" }] })],
  ["empty axis", (s) => ({ ...s, placements: [] })],
  ["bad version", (s) => ({ ...s, schemaVersion: 99 })],
];

test("every generated spec broken in one way gives an input error saying where and what was expected", () => {
  fc.assert(
    fc.property(validSpec, fc.constantFrom(...MUTATIONS), (spec, [what, mutate]) => {
      const f = write(mutate(spec as unknown as Record<string, unknown>));
      try {
        loadSpec(f);
        assert.unreachable(`${what}: accepted`);
      } catch (e) {
        assert.instance(e, InputError, what);
        const problems = (e as InputError).problems;
        assert.ok(
          problems.length >= 1 && problems.every((p) => p.startsWith(f) && /expected/.test(p)),
          `${what}: ${problems.join(" | ")}`,
        );
      }
    }),
    { numRuns: 120 },
  );
});

test.run();
