// The fuzzing harness's generators and checks (tests/fuzz.test.ts, tests/fuzz-corpus.test.ts): inputs are generated
// from the committed JSON Schemas (so new fields are fuzzed as soon as they exist), biased towards real catalog ids
// so they get past reference checks, then mutated (wrong types, huge and tiny numbers, duplicates, deep nesting,
// odd encodings and number forms). Each input must be accepted or refused with the project's user-error type
// (InputError, exit 2), within a time and memory bound; the checks call the functions the CLI calls.
import fc from "fast-check";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify as yamlStringify } from "yaml";
import { readMeasurements, MEASUREMENT_COLUMNS } from "../src/calibrate/measurements.ts";
import { calibrationContext } from "../src/calibrate/context.ts";
import { validateRows } from "../src/calibrate/validate.ts";
import { loadCatalog } from "../src/catalog/load.ts";
import { runSweep } from "../src/run/sweep.ts";
import { InputError } from "../src/input/errors.ts";
import { loadFit } from "../src/fit/load.ts";
import { loadSpec } from "../src/spec/resolve.ts";
import { totalPoints } from "../src/space/space.ts";
import { ROOT } from "./helpers.ts";

type Schema = Record<string, unknown>;
export const SWEEP_SCHEMA = JSON.parse(readFileSync(join(ROOT, "schemas", "sweep.schema.json"), "utf8")) as Schema;
export const CATALOG_SCHEMA = JSON.parse(readFileSync(join(ROOT, "schemas", "catalog.schema.json"), "utf8")) as Schema;

const builtIn = loadCatalog();
const ids = (m: Map<string, unknown>) => [...m.keys()].sort();
/** Real ids per field name, so generated specs reach resolution and the model. */
const ID_POOLS: Record<string, string[]> = {
  accelerator: ids(builtIn.accelerators),
  fabric: ids(builtIn.links),
  host_link: ids(builtIn.links),
  host_cpu: ids(builtIn.cpus),
  nic: ids(builtIn.nics),
  ssd: ids(builtIn.storage),
  preset: ids(builtIn.models),
  ps_system: ids(builtIn.systems),
  systems: ids(builtIn.systems),
  software: Object.keys(loadFit().params.software),
};

/** A value for `schema` (numbers across their whole range, ends included, plus a few typical ones). */
export function fromSchema(schema: Schema, key = "", depth = 0): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...(schema.anyOf as Schema[]).map((s) => fromSchema(s, key, depth + 1)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
  const type = schema.type;
  if (type === "object") {
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    // keys that name catalog parts are kept like required ones: without them most composed nodes are refused
    const required = new Set([
      ...((schema.required ?? []) as string[]),
      ...Object.keys(props).filter((k) => k in ID_POOLS && k !== "ssd" && k !== "ps_system"),
    ]);
    const names = Object.keys(props).filter((k) => k !== "$schema");
    if (names.length === 0)
      return fc.dictionary(fc.stringMatching(/^[a-z_]{1,12}$/), fc.string({ maxLength: 20 }), { maxKeys: 2 });
    const rec: Record<string, fc.Arbitrary<unknown>> = {};
    for (const n of names) rec[n] = fromSchema(props[n]!, n, depth + 1);
    // optional keys present about a third of the time at depth, more often at the top
    return fc.record(rec, { requiredKeys: names.filter((n) => required.has(n)) }).chain((full) => {
      const keys = Object.keys(full).filter((k) => !required.has(k));
      return fc
        .subarray(keys, { maxLength: depth === 0 ? keys.length : Math.min(keys.length, 3) })
        .map((keep) => Object.fromEntries(Object.entries(full).filter(([k]) => required.has(k) || keep.includes(k))));
    });
  }
  if (type === "array") {
    const items = (schema.items ?? {}) as Schema;
    const min = (schema.minItems as number | undefined) ?? 0;
    const max = Math.min((schema.maxItems as number | undefined) ?? 4, Math.max(min, 4));
    const arb = fromSchema(items, key, depth + 1); // items keep the list's key: systems: [ids] draw from the id pool
    return schema.uniqueItems
      ? fc.uniqueArray(arb, { minLength: min, maxLength: max, selector: (v) => JSON.stringify(v) })
      : fc.array(arb, { minLength: min, maxLength: max });
  }
  if (type === "number" || type === "integer") {
    const lo = (schema.minimum as number | undefined) ?? (schema.exclusiveMinimum as number | undefined) ?? -1e6;
    const hi = (schema.maximum as number | undefined) ?? 1e15;
    const typical = fc
      .constantFrom(1, 2, 4, 8, 16, 64, 1024, 65536)
      .filter(
        (v) => v >= lo && v <= hi && (schema.exclusiveMinimum === undefined || v > (schema.exclusiveMinimum as number)),
      );
    const edge = fc
      .constantFrom(lo, hi, (lo + hi) / 2)
      .filter((v) => schema.exclusiveMinimum === undefined || v > (schema.exclusiveMinimum as number));
    if (type === "integer")
      return fc.oneof(
        typical,
        fc.integer({ min: Math.ceil(Math.max(lo, -2e9)), max: Math.floor(Math.min(hi, 2e9)) }),
        edge.map(Math.round),
      );
    return fc.oneof(
      typical,
      fc
        .double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true })
        .filter((v) => schema.exclusiveMinimum === undefined || v > (schema.exclusiveMinimum as number)),
      edge,
    );
  }
  if (type === "boolean") return fc.boolean();
  if (type === "string") {
    const pool = ID_POOLS[key];
    const pattern = schema.pattern as string | undefined;
    const minLength = (schema.minLength as number | undefined) ?? 0;
    const free = pattern
      ? fc.stringMatching(new RegExp(pattern)).map((s) => s.slice(0, (schema.maxLength as number | undefined) ?? 80))
      : fc.string({
          minLength,
          maxLength: Math.max(minLength, Math.min(30, (schema.maxLength as number | undefined) ?? 30)),
        });
    return pool ? fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: free }) : free;
  }
  return fc.jsonValue({ maxDepth: 2 });
}

// ---- mutations: each takes a generated document and breaks it in one way users (or attackers) do
type Doc = Record<string, unknown>;
const WEIRD_VALUES: unknown[] = [
  "many",
  "",
  " ",
  -1,
  0,
  -0,
  1e308,
  -1e308,
  5e-324,
  1e15 + 1,
  2 ** 53 + 1,
  1.5,
  null,
  true,
  [],
  {},
  [[1]],
  { from: 1 },
  "1e3",
  "0x10",
  "1_000",
  "∞",
  "ＤＧＸ",
  "a\u0000b",
  "\ud83d\ude00".repeat(10),
  "x".repeat(5000),
  { from: 1, to: 1e15, scale: "log" },
  { from: 1e-300, to: 1, steps: 10000, scale: "log" },
  { from: 1, to: 2, steps: 10000, scale: "linear" },
];
/** Every path to a value inside `v` (objects and arrays). */
function paths(
  v: unknown,
  prefix: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
): Array<Array<string | number>> {
  if (v && typeof v === "object") {
    for (const [k, c] of Object.entries(v)) {
      const p = [...prefix, Array.isArray(v) ? Number(k) : k];
      out.push(p);
      paths(c, p, out);
    }
  }
  return out;
}
function setAt(doc: unknown, path: Array<string | number>, f: (old: unknown) => unknown): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let v: Record<string | number, unknown> = copy;
  for (const k of path.slice(0, -1)) v = v[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  const nv = f(v[last]);
  if (nv === undefined) {
    if (Array.isArray(v)) v.splice(Number(last), 1);
    else delete v[last];
  } else v[last] = nv;
  return copy;
}

export type Mutation = { name: string; apply: (doc: Doc, pick: number, pick2: number) => Doc };
const at = (doc: Doc, pick: number) => {
  const ps = paths(doc);
  return ps.length ? ps[pick % ps.length]! : null;
};
export const MUTATIONS: Mutation[] = [
  { name: "none", apply: (d) => d },
  {
    name: "wrong value",
    apply: (d, p, q) => {
      const path = at(d, p);
      return path ? (setAt(d, path, () => structuredClone(WEIRD_VALUES[q % WEIRD_VALUES.length])) as Doc) : d;
    },
  },
  {
    name: "delete",
    apply: (d, p) => {
      const path = at(d, p);
      return path ? (setAt(d, path, () => undefined) as Doc) : d;
    },
  },
  {
    name: "duplicate list item",
    apply: (d, p) => {
      const lists = paths(d).filter((path) =>
        Array.isArray(path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], d)),
      );
      if (!lists.length) return d;
      return setAt(d, lists[p % lists.length]!, (old) => {
        const a = old as unknown[];
        return a.length ? [...a, structuredClone(a[0])] : a;
      }) as Doc;
    },
  },
  {
    name: "huge number",
    apply: (d, p, q) => {
      const nums = paths(d).filter(
        (path) => typeof path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], d) === "number",
      );
      return nums.length
        ? (setAt(d, nums[p % nums.length]!, () => [1e15, 1e300, 2 ** 53, 1e9 + 1, 1e6 + 1][q % 5]) as Doc)
        : d;
    },
  },
  {
    name: "tiny number",
    apply: (d, p, q) => {
      const nums = paths(d).filter(
        (path) => typeof path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], d) === "number",
      );
      return nums.length ? (setAt(d, nums[p % nums.length]!, () => [5e-324, 1e-300, 0, -0, 1e-9][q % 5]) as Doc) : d;
    },
  },
  {
    name: "deep nesting",
    apply: (d, p, q) => {
      const path = at(d, p);
      let v: unknown = 1;
      for (let i = 0; i < 10 + (q % 40); i++) v = q % 2 ? [v] : { a: v };
      return path ? (setAt(d, path, () => v) as Doc) : { ...d, deep: v };
    },
  },
  {
    name: "unknown key",
    apply: (d, p) => ({ ...d, [["colour", "__proto__", "constructor", "nodes ", "Nodes"][p % 5]!]: 1 }),
  },
];

/** Text forms of a document, some broken at the byte level. */
export type Encoding = { name: string; ext: string; encode: (doc: Doc, pick: number) => string | Buffer };
const dupKey = (json: string) =>
  json.replace(/^\{"(\w+)":([^,]*),/, (_m, k: string, v: string) => `{"${k}":${v},"${k}":${v},`);
export const ENCODINGS: Encoding[] = [
  { name: "yaml", ext: ".yaml", encode: (d) => yamlStringify(d) },
  { name: "json", ext: ".json", encode: (d) => JSON.stringify(d, null, 1) },
  { name: "json with a duplicate key", ext: ".json", encode: (d) => dupKey(JSON.stringify(d)) },
  { name: "yaml with a BOM and CRLF", ext: ".yaml", encode: (d) => `\ufeff${yamlStringify(d).replace(/\n/g, "\r\n")}` },
  { name: "utf-16", ext: ".yaml", encode: (d) => Buffer.from(`\ufeff${yamlStringify(d)}`, "utf16le") },
  {
    name: "invalid utf-8",
    ext: ".yaml",
    encode: (d, p) => {
      const b = Buffer.from(yamlStringify(d));
      const i = p % Math.max(1, b.length);
      return Buffer.concat([b.subarray(0, i), Buffer.from([0xc3, 0x28, 0xff]), b.subarray(i)]);
    },
  },
  { name: "nul bytes", ext: ".yaml", encode: (d) => `${yamlStringify(d)}\u0000\u0000` },
  {
    name: "yaml number forms",
    ext: ".yaml",
    encode: (d, p) =>
      yamlStringify(d).replace(
        /: (\d+)$/m,
        [": 0x10", ": 1_000", ": .inf", ": .nan", ": 0o17", ": +12", ": 1e400"][p % 7]!,
      ),
  },
  {
    name: "yaml anchors and tags",
    ext: ".yaml",
    encode: (d, p) =>
      ["a: &x [1, 2]\nb: *x\n", "n: !!binary aGVsbG8=\n", "x: !custom 1\n", "? [1, 2]\n: 3\n", "<<: {nodes: [1]}\n"][
        p % 5
      ] + yamlStringify(d),
  },
  {
    name: "truncated",
    ext: ".json",
    encode: (d, p) => {
      const t = JSON.stringify(d);
      return t.slice(0, p % Math.max(1, t.length));
    },
  },
];

export const specDoc = fromSchema(SWEEP_SCHEMA) as fc.Arbitrary<Doc>;
export const catalogDoc = fromSchema(CATALOG_SCHEMA) as fc.Arbitrary<Doc>;

/** A generated input: a document, one mutation and one encoding. */
export const mutated = (doc: fc.Arbitrary<Doc>) =>
  fc
    .record({
      doc,
      mutation: fc.constantFrom(...MUTATIONS),
      encoding: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(ENCODINGS[0]!, ENCODINGS[1]!) },
        { weight: 4, arbitrary: fc.constantFrom(...ENCODINGS) },
      ),
      p: fc.nat(),
      q: fc.nat(),
    })
    .map(({ doc: d, mutation, encoding, p, q }) => {
      const m = mutation.apply(d, p, q);
      return { label: `${mutation.name} / ${encoding.name}`, ext: encoding.ext, bytes: encoding.encode(m, p) };
    });

// ---- measurement files
const FIELD_VALUES = [
  "",
  "0",
  "1",
  "8",
  "65536",
  "1.5",
  "1e3",
  "0x1F",
  "1_000",
  "1,000",
  "-4",
  "NaN",
  "Infinity",
  "1e400",
  "abc",
  " 7 ",
  '"q"',
  "a\nb",
  "h100-sxm5-80gb",
  "dlrm-mlperf-v1",
  "throughput_samples_per_s",
  "node_power_w",
  "fp16",
  "hbm",
  "hugectr",
  "ｘ",
  "\u0000",
];
const measurementRow = fc.array(fc.constantFrom(...FIELD_VALUES), {
  minLength: MEASUREMENT_COLUMNS.length,
  maxLength: MEASUREMENT_COLUMNS.length,
});
const csvField = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const measurementTextOnly = fc
  .record({
    header: fc.oneof(
      { weight: 5, arbitrary: fc.constant([...MEASUREMENT_COLUMNS] as string[]) },
      { weight: 1, arbitrary: fc.shuffledSubarray([...MEASUREMENT_COLUMNS, "value", "extra"], { minLength: 1 }) },
    ),
    rows: fc.array(fc.tuple(fc.nat(1000), measurementRow), { maxLength: 6 }),
    eol: fc.constantFrom("\n", "\r\n"),
    blank: fc.boolean(),
    bom: fc.boolean(),
  })
  .map(
    ({ header, rows, eol, blank, bom }) =>
      (bom ? "\ufeff" : "") +
      [
        header.join(","),
        ...rows.map(([id, r]) => [`M${id}`, ...r.slice(1, header.length)].map(csvField).join(",")),
        ...(blank ? [""] : []),
      ].join(eol) +
      eol,
  );
/** A measurement file's bytes: mostly UTF-8 text, sometimes UTF-16, broken UTF-8 or cut short. */
export const measurementBytes = fc
  .record({
    text: measurementTextOnly,
    how: fc.constantFrom("utf-8", "utf-8", "utf-8", "utf-8", "utf-16", "invalid utf-8", "truncated"),
    p: fc.nat(),
  })
  .map(({ text, how, p }) => {
    const b = Buffer.from(text, how === "utf-16" ? "utf16le" : "utf8");
    if (how === "invalid utf-8")
      return Buffer.concat([b.subarray(0, p % b.length), Buffer.from([0xe2, 0x28, 0xa1]), b.subarray(p % b.length)]);
    if (how === "truncated") return b.subarray(0, p % b.length);
    return b;
  });

// ---- the checks
export const TIME_LIMIT_MS = 10_000;
export const RSS_LIMIT_BYTES = 1024 ** 3;
export interface Outcome {
  accepted: boolean;
  message?: string;
}

/** Accepted or an InputError; anything else is thrown as a failure naming the input. */
async function accepted<T>(what: string, f: () => T | Promise<T>): Promise<Outcome> {
  const t = performance.now();
  let out: Outcome;
  try {
    await f();
    out = { accepted: true };
  } catch (e) {
    if (!(e instanceof InputError))
      throw new Error(`${what}: not a user error (exit 1): ${(e as Error)?.stack ?? String(e)}`);
    const lines = e.message.split("\n").length;
    if (e.problems.length === 0 || !e.message.trim()) throw new Error(`${what}: an InputError without a message`);
    out = {
      accepted: false,
      message: `${e.problems.length} problem(s), ${lines} line(s): ${e.problems[0]!.slice(0, 200)}`,
    };
  }
  const ms = performance.now() - t;
  if (ms > TIME_LIMIT_MS) throw new Error(`${what}: took ${Math.round(ms)} ms (limit ${TIME_LIMIT_MS})`);
  const rss = process.memoryUsage().rss;
  if (rss > RSS_LIMIT_BYTES)
    throw new Error(`${what}: resident memory ${Math.round(rss / 1e6)} MB (limit ${RSS_LIMIT_BYTES / 1e6} MB)`);
  return out;
}

/** Small accepted sweeps are scored too (inline), so the model meets what the generator makes. */
const SCORE_AT_MOST = 4096;

export function checkSpecFile(file: string, catalogDir?: string): Promise<Outcome> {
  return accepted(file, async () => {
    const { plan } = loadSpec(file, catalogDir);
    const total = totalPoints(plan);
    if (!(total >= 1 && total <= 1e9)) throw new Error(`accepted a sweep of ${total} points`);
    if (total <= SCORE_AT_MOST) {
      const r = await runSweep(plan, { workers: 1, wantPoints: false });
      if (r.pointsScored !== total) throw new Error(`scored ${r.pointsScored} of ${total} points`);
    }
  });
}

const FIXED_SPEC = (extra: string) =>
  `schemaVersion: 1\nname: fuzz-catalog\nsystems: [${extra || "dgx-h100"}]\nnodes: [1, 4]\nplacements: [hbm-table-wise, host-dram, remote-ps]\nmodels: [{ preset: dlrm-mlperf-v1 }]\ntraining: { batch_size: [65536] }\n`;

/** A catalog folder: loaded, then a spec using its systems (if any) resolved and scored. */
export function checkCatalogDir(dir: string, specDir: string): Promise<Outcome> {
  return accepted(dir, async () => {
    const cat = loadCatalog(dir);
    const mine = [...cat.systems.keys()].filter((id) => !builtIn.systems.has(id)).slice(0, 3);
    const spec = join(specDir, "spec.yaml");
    writeFileSync(spec, FIXED_SPEC(mine.join(", ")));
    const { plan } = loadSpec(spec, dir);
    await runSweep(plan, { workers: 1, wantPoints: false });
  });
}

let calib: ReturnType<typeof calibrationContext> | undefined;
export function checkMeasurements(file: string): Promise<Outcome> {
  return accepted(file, () => {
    const rows = readMeasurements(file);
    calib ??= calibrationContext();
    validateRows(rows, calib.cat, loadFit().params, calib.tco, calib.psNode);
  });
}

/** Writes an input that broke a check where a person can add it to tests/fuzz-corpus/. */
export function saveFailure(kind: string, name: string, bytes: string | Buffer): string {
  const dir = join(ROOT, "out", "fuzz-failures", kind);
  mkdirSync(dir, { recursive: true });
  const f = join(dir, name);
  writeFileSync(f, bytes);
  return f;
}
