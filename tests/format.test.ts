// How points become CSV text: numbers to six significant digits, and point lines with the bytes csv-stringify
// writes for each point's fields.
import { test } from "uvu";
import { intervalFields, PointIntervals, residentRow } from "../src/frontier/intervals.ts";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import { BOTTLENECKS, C, COLUMNS, NCOLS } from "../src/model/result.ts";
import { PLACEMENTS } from "../src/schema/vocab.ts";
import { formatNumber, PointLines } from "../src/output/format.ts";
import { describePoint, indexToCoords, radices, totalPoints } from "../src/space/space.ts";
import { loadSpec } from "../src/spec/resolve.ts";
import { FIXTURES } from "./helpers.ts";

/** The definition formatNumber must meet: integers as written, otherwise toPrecision(6) read back as a number. */
const reference = (v: number) =>
  !Number.isFinite(v) ? "" : Number.isInteger(v) && Math.abs(v) < 1e15 ? String(v) : String(Number(v.toPrecision(6)));

test("formatNumber writes six significant digits in the shortest form, for any double", () => {
  fc.assert(
    fc.property(fc.double(), (v) => {
      assert.is(formatNumber(v), reference(v), String(v));
    }),
    { numRuns: 20000 },
  );
  // every scale a result column takes, and the edges of the fixed-notation range where rounding changes the form
  fc.assert(
    fc.property(
      fc.double({ min: 1, max: 10, noNaN: true }),
      fc.integer({ min: -12, max: 24 }),
      fc.boolean(),
      (m, e, neg) => {
        const v = (neg ? -1 : 1) * m * 10 ** e;
        assert.is(formatNumber(v), reference(v), String(v));
      },
    ),
    { numRuns: 20000 },
  );
  for (const v of [
    999999.4,
    999999.5,
    999999.6,
    99999.95,
    0.000001,
    0.0000009999996,
    0.00000099999996,
    1e-6 * (1 - 1e-12),
    123456.5,
    -123456.5,
    0.5,
    -0.5,
    1e21,
    1.5e21,
    1e15 + 0.5,
    -0,
    0,
    NaN,
    Infinity,
    -Infinity,
  ]) {
    assert.is(formatNumber(v), reference(v), String(v));
  }
});

test("point lines are the bytes csv-stringify writes for each point's fields, quoting included", () => {
  const { plan } = loadSpec(join(FIXTURES, "tiny.yaml"));
  // labels that need quoting, as a catalog or preset could hold
  plan.workloads[0]!.label = 'rmc1 "small", v2';
  plan.systems[1]!.id = "cpu,skylake";
  const lines = new PointLines(plan);
  const intervals = new PointIntervals(plan);
  const total = totalPoints(plan);
  const resultColumns = COLUMNS.filter((c) => c !== "infeasible");
  const value = fc.oneof(fc.double(), fc.integer({ min: 0, max: 1e6 }), fc.constant(0));
  const point = fc.tuple(
    fc.integer({ min: 0, max: total - 1 }),
    fc.array(value, { minLength: NCOLS, maxLength: NCOLS }),
    fc.integer({ min: 0, max: BOTTLENECKS.length - 1 }),
    fc.integer({ min: 0, max: PLACEMENTS.length - 1 }),
  );
  fc.assert(
    fc.property(fc.array(point, { maxLength: 20 }), (points) => {
      const rows = new Float64Array(points.length * NCOLS);
      points.forEach(([, row, bottleneck, placement], i) => {
        rows.set(row, i * NCOLS);
        rows[i * NCOLS + C.bottleneck] = bottleneck;
        rows[i * NCOLS + C.placement_resolved] = placement;
      });
      const records = points.map(([index], i) => {
        const d = describePoint(plan, index);
        return [
          String(index),
          d.model,
          d.workload,
          ...plan.modelAxisNames.map((a) => (d.axes[a] === undefined ? "" : String(d.axes[a]))),
          d.system,
          String(d.nodes),
          d.embedding_placement,
          d.ps_nodes === null ? "" : String(d.ps_nodes),
          String(d.batch_size),
          d.precision,
          ...resultColumns.map((c) =>
            c === "bottleneck"
              ? BOTTLENECKS[rows[i * NCOLS + C.bottleneck]!]!
              : c === "placement_resolved"
                ? PLACEMENTS[rows[i * NCOLS + C.placement_resolved]!]!
                : formatNumber(rows[i * NCOLS + C[c]]!),
          ),
          // the interval columns (frontier/intervals.ts), from the same point's uncertainty
          ...intervalFields(
            intervals.of(indexToCoords(index, radices(plan)), residentRow(rows, i * NCOLS)),
            rows[i * NCOLS + C.throughput_samples_per_s]!,
          ).map((v) => (typeof v === "number" ? formatNumber(v) : v)),
        ];
      });
      assert.is(
        lines.lines(
          points.map(([index]) => index),
          rows,
        ),
        stringify(records),
      );
    }),
    { numRuns: 300 },
  );
});

test.run();
