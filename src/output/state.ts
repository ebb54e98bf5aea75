// The engine's merged state in full precision, as JSON: what a shard hands to `merge` and what a checkpoint
// hands to `--resume`. JSON numbers round-trip exactly; NaN is written as null, -Infinity as null in axisBest.
import type { RangeResult, SweepResult } from "../frontier/merge.ts";
import { NCOLS } from "../model/result.ts";

export interface RunState {
  range: [number, number];
  reasonCounts: number[];
  /** per system x reason (absent in checkpoints of earlier versions) */
  systemReasonCounts?: number[];
  reasonExamples?: number[];
  frontier: Array<{ index: number; row: Array<number | null> }>;
  best: Array<{ index: number; row: Array<number | null> } | null>;
  sample: Array<{ index: number; row: Array<number | null> }>;
  axisBest: Array<number | null>;
}

export function runState(result: SweepResult, range: [number, number]): RunState {
  return {
    range,
    reasonCounts: [...result.reasonCounts],
    systemReasonCounts: [...result.systemReasonCounts],
    reasonExamples: [...result.reasonExamples],
    frontier: result.frontier.map((p) => ({ index: p.index, row: [...p.row] })),
    best: result.best.map((b) => (b ? { index: b.index, row: [...b.row] } : null)),
    sample: result.sample.map((p) => ({ index: p.index, row: [...p.row] })),
    axisBest: [...result.axisBest],
  };
}

/**
 * JSON.stringify(runState(result, range)), the same text, in pieces of at most ~64k numbers: a sweep of thousands of
 * node designs has millions of per-axis bests, which as arrays and then one string made ~150 MB of garbage at every
 * checkpoint (docs/hardware-axes.md, "Measured").
 */
export function* runStateJson(result: SweepResult, range: [number, number]): Generator<string> {
  yield `{"range":${JSON.stringify(range)},"reasonCounts":`;
  yield* numbersJson(result.reasonCounts);
  yield ',"systemReasonCounts":';
  yield* numbersJson(result.systemReasonCounts);
  yield ',"reasonExamples":';
  yield* numbersJson(result.reasonExamples);
  yield ',"frontier":';
  yield* pointsJson(result.frontier);
  yield ',"best":';
  yield* pointsJson(result.best);
  yield ',"sample":';
  yield* pointsJson(result.sample);
  yield ',"axisBest":';
  yield* numbersJson(result.axisBest);
  yield "}";
}

/** A number as JSON.stringify writes it (NaN and infinities as null). */
const numberJson = (v: number) => (Number.isFinite(v) ? String(v) : "null");

const CHUNK = 65536;

function* numbersJson(values: Float64Array): Generator<string> {
  if (values.length === 0) {
    yield "[]";
    return;
  }
  for (let start = 0; start < values.length; start += CHUNK) {
    let text = start === 0 ? "[" : ",";
    const end = Math.min(values.length, start + CHUNK);
    for (let i = start; i < end; i++) text += i > start ? `,${numberJson(values[i]!)}` : numberJson(values[i]!);
    yield text;
  }
  yield "]";
}

function* pointsJson(points: ReadonlyArray<{ index: number; row: Float64Array } | null>): Generator<string> {
  const per = Math.max(1, Math.floor(CHUNK / NCOLS));
  if (points.length === 0) {
    yield "[]";
    return;
  }
  for (let start = 0; start < points.length; start += per) {
    let text = start === 0 ? "[" : ",";
    const end = Math.min(points.length, start + per);
    for (let i = start; i < end; i++) {
      const p = points[i];
      if (i > start) text += ",";
      if (!p) text += "null";
      else {
        text += `{"index":${numberJson(p.index)},"row":[`;
        for (let c = 0; c < p.row.length; c++) text += c > 0 ? `,${numberJson(p.row[c]!)}` : numberJson(p.row[c]!);
        text += "]}";
      }
    }
    yield text;
  }
  yield "]";
}

const num = (v: number | null) => (v === null ? NaN : v);

/** The state as one range result, so a Merger can absorb it like any other range. */
export function stateToRange(s: RunState): RangeResult {
  return {
    start: s.range[0],
    end: s.range[1],
    reasonCounts: Float64Array.from(s.reasonCounts),
    systemReasonCounts: Float64Array.from(s.systemReasonCounts ?? []),
    reasonExamples: Float64Array.from(s.reasonExamples ?? []),
    frontierIndex: Float64Array.from(s.frontier.map((p) => p.index)),
    frontierRows: Float64Array.from(
      s.frontier.flatMap((p) => p.row),
      num,
    ),
    pointIndex: null,
    pointRows: null,
    pointBytes: null,
    bestIndex: Float64Array.from(s.best.map((b) => (b ? b.index : -1))),
    bestRows: Float64Array.from(
      s.best.flatMap((b) => (b ? b.row : new Array<number>(NCOLS).fill(0))),
      num,
    ),
    sampleIndex: Float64Array.from(s.sample.map((p) => p.index)),
    sampleRows: Float64Array.from(
      s.sample.flatMap((p) => p.row),
      num,
    ),
    axisBestFrom: 0,
    axisBest: Float64Array.from(s.axisBest, (v) => (v === null ? -Infinity : v)),
  };
}
