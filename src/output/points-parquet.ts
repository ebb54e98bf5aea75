// points.parquet: every feasible point as a compressed columnar file (Parquet, gzip, through hyparquet-writer),
// readable by pandas/pyarrow and DuckDB. Same columns and names as points.csv (or the spec's output.columns):
// axis values as dictionary-encoded strings or integers, figures as 32-bit floats (points.csv writes six significant
// digits; a float keeps about seven), null where points.csv leaves a field empty. Rows arrive in index order.
import { gzipSync } from "node:zlib";
import { type ByteWriter, fileWriter, ParquetWriter } from "hyparquet-writer";
import { BOTTLENECKS, C, NCOLS } from "../model/result.ts";
import { coordsToIndex, describePoint, radices, totalPoints, type PointDescription } from "../space/space.ts";
import type { Plan } from "../spec/plan.ts";
import { pointHeader } from "./format.ts";

type Kind = "STRING" | "INT32" | "FLOAT" | "DOUBLE" | "INT64";
type Data = Float32Array | Float64Array | Int32Array | BigInt64Array | Array<string | number | null>;
/** Rows per row group (about 100 MB of buffers at 36 columns). */
const ROW_GROUP = 1 << 20;
const INT_RESULTS = new Set(["total_nodes", "reader_nodes"]);
const PER_RUN = new Set(["time_to_train_h", "energy_per_run_kwh", "cost_per_run_usd"]);

/**
 * A column of the file: an axis column maps each point's coordinate on its axis through a table of values; a result
 * column copies its figure. Encodings are chosen, not tried (hyparquet-writer's default tries a dictionary on every
 * column and keeps statistics): measured on a 1M-point sweep (676k rows, 2 busy cores), defaults 15.0 s, plain
 * floats without statistics or trials 5-6 s; byte-stream-split floats were 30 % smaller but 1 s slower.
 */
interface Column {
  name: string;
  kind: Kind;
  /** may hold nulls: OPTIONAL in the schema */
  optional: boolean;
  axis: number;
  table: Array<string | number | null>;
  /** result column (axis -1): its index in a row */
  col: number;
}

/** A row group encoded on a worker thread: its bytes (offsets from 0) and its metadata (hyparquet's RowGroup). */
export interface EncodedRowGroup {
  bytes: Uint8Array;
  meta: ParquetWriter["row_groups"][number];
}

/** hyparquet-writer's Writer: where a file's bytes go (fileWriter on the main thread, a ByteWriter on workers) */
type Writer = ConstructorParameters<typeof ParquetWriter>[0]["writer"];

export class PointsParquet {
  private readonly writer: ParquetWriter;
  private readonly capacity: number;
  private readonly cols: Column[];
  private readonly radix: number[];
  /** per axis, the coordinate of each buffered row */
  private readonly coords: Int32Array[];
  private readonly index: Float64Array;
  /** per result column (same order as cols), the buffered figures */
  private readonly figures: Map<Column, Float32Array> = new Map();
  private n = 0;
  rowsWritten = 0;

  /** `capacity`: rows buffered before a row group is written (on workers: the range's feasible points) */
  constructor(out: Writer, plan: Plan, columns: readonly string[] | null, capacity = ROW_GROUP) {
    const radix = radices(plan);
    this.radix = radix;
    this.capacity = capacity;
    this.index = new Float64Array(capacity);
    this.coords = radix.map(() => new Int32Array(capacity));
    const describe = (k: number, v: number): PointDescription =>
      describePoint(
        plan,
        coordsToIndex(
          radix.map((_, j) => (j === k ? v : 0)),
          radix,
        ),
      );
    const axisColumn = (name: string, k: number, f: (d: PointDescription) => unknown): Column => {
      const values = Array.from({ length: radix[k]! }, (_, v) => f(describe(k, v)));
      const missing = (v: unknown) => v === null || v === undefined || v === "";
      const numeric = values.every((v) => typeof v === "number" || missing(v));
      const integer = numeric && values.every((v) => missing(v) || Number.isInteger(v));
      const table = values.map((v) => (missing(v) ? null : numeric ? (v as number) : String(v)));
      const kind: Kind = !numeric ? "STRING" : integer ? "INT32" : "DOUBLE";
      return { name, kind, optional: table.includes(null), axis: k, table, col: -1 };
    };
    // per-run figures are NaN for every point of a workload without samples per run (eq. K3)
    const perRunMissing = plan.samplesPerRun.some((s) => s === null);
    const all: Column[] = [
      // 32-bit while every index fits: BigInts cost a third of a row's encoding
      {
        name: "index",
        kind: totalPoints(plan) < 2 ** 31 ? "INT32" : "INT64",
        optional: false,
        axis: -1,
        table: [],
        col: -1,
      },
      axisColumn("model", 0, (d) => d.model),
      axisColumn("workload", 0, (d) => d.workload),
      ...plan.modelAxisNames.map((a) => axisColumn(a, 0, (d) => d.axes[a])),
      axisColumn("system", 1, (d) => d.system),
      axisColumn("nodes", 2, (d) => d.nodes),
      axisColumn("embedding_placement", 3, (d) => d.embedding_placement),
      axisColumn("ps_nodes", 3, (d) => d.ps_nodes),
      axisColumn("batch_size", 4, (d) => d.batch_size),
      axisColumn("precision", 5, (d) => d.precision),
      ...pointHeader(plan)
        .filter((h) => h in C)
        .map((h): Column => {
          const kind: Kind = h === "bottleneck" ? "STRING" : INT_RESULTS.has(h) ? "INT32" : "FLOAT";
          const optional = PER_RUN.has(h) && perRunMissing;
          return { name: h, kind, optional, axis: -1, table: [], col: C[h as keyof typeof C] };
        }),
    ];
    // a chosen column this sweep lacks (a model axis it does not sweep) is left out
    this.cols = columns ? all.filter((c) => columns.includes(c.name)) : all;
    if (columns) this.cols.sort((a, b) => columns.indexOf(a.name) - columns.indexOf(b.name));
    for (const c of this.cols) if (c.col >= 0) this.figures.set(c, new Float32Array(capacity));
    this.writer = new ParquetWriter({
      writer: out,
      schema: [
        { name: "root", num_children: this.cols.length },
        ...this.cols.map((c) => ({
          name: c.name,
          repetition_type: c.optional ? ("OPTIONAL" as const) : ("REQUIRED" as const),
          ...(c.kind === "STRING"
            ? { type: "BYTE_ARRAY" as const, converted_type: "UTF8" as const }
            : { type: c.kind }),
        })),
      ],
      createdBy: "recsweep (hyparquet-writer)",
      statistics: false,
      // native gzip at level 1: 17 % smaller than hyparquet-writer's JavaScript snappy on a 1M-point sweep (17.5 vs
      // 21.0 MB) and no slower; pyarrow and DuckDB read it, hyparquet with a gzip decompressor
      codec: "GZIP",
      compressors: { GZIP: (b: Uint8Array) => new Uint8Array(gzipSync(b, { level: 1 })) },
    });
  }

  /** Appends the feasible points `index[i]` with rows rows[i * NCOLS ..], in index order. */
  add(index: Float64Array, rows: Float64Array): void {
    const radix = this.radix,
      coords = this.coords;
    let i = 0;
    while (i < index.length) {
      const take = Math.min(index.length - i, this.capacity - this.n);
      for (let j = 0; j < take; j++) {
        let rest = index[i + j]!;
        this.index[this.n + j] = rest;
        for (let k = radix.length - 1; k >= 0; k--) {
          const r = radix[k]!;
          const q = Math.floor(rest / r);
          coords[k]![this.n + j] = rest - q * r;
          rest = q;
        }
      }
      for (const [c, buf] of this.figures) {
        const col = c.col;
        for (let j = 0; j < take; j++) buf[this.n + j] = rows[(i + j) * NCOLS + col]!;
      }
      this.n += take;
      i += take;
      if (this.n === this.capacity) this.flush();
    }
  }

  private columnData(c: Column, n: number): Data {
    if (c.name === "index")
      return c.kind === "INT32"
        ? Int32Array.from(this.index.subarray(0, n))
        : BigInt64Array.from(this.index.subarray(0, n), (v) => BigInt(v));
    if (c.axis >= 0) {
      const coords = this.coords[c.axis]!,
        table = c.table;
      const out: Data =
        c.kind === "STRING" || c.optional ? new Array(n) : new (c.kind === "INT32" ? Int32Array : Float64Array)(n);
      for (let j = 0; j < n; j++) out[j] = table[coords[j]!]! as never;
      return out;
    }
    const buf = this.figures.get(c)!.subarray(0, n);
    if (c.kind === "STRING") return Array.from(buf, (v) => BOTTLENECKS[v] ?? "");
    if (c.kind === "INT32") return Int32Array.from(buf);
    if (!c.optional) return buf.slice();
    const out = new Array<number | null>(n);
    for (let j = 0; j < n; j++) out[j] = Number.isNaN(buf[j]!) ? null : buf[j]!;
    return out;
  }

  private flush(): void {
    if (this.n === 0) return;
    const n = this.n;
    this.writer.write({
      columnData: this.cols.map((c) => ({
        name: c.name,
        data: this.columnData(c, n),
        ...(c.kind === "FLOAT" || c.kind === "DOUBLE" ? { encoding: "PLAIN" as const } : {}),
        ...(c.name === "index" ? { encoding: "DELTA_BINARY_PACKED" as const } : {}),
        offsetIndex: false,
      })),
      rowGroupSize: n,
      pageSize: 0, // one page per column chunk: no per-value size estimate (a worker's row group is <= 32768 rows)
    });
    this.rowsWritten += n;
    this.n = 0;
  }

  /** The main thread's file: row groups come from the workers (appendRowGroup), none are buffered here. */
  static toFile(file: string, plan: Plan): PointsParquet {
    return new PointsParquet(fileWriter(file), plan, plan.columns, 0);
  }

  /** On a worker: the buffered rows as one encoded row group (the writer must be a fresh ByteWriter). */
  takeRowGroup(bytes: ByteWriter): EncodedRowGroup | null {
    this.flush();
    const meta = this.writer.row_groups[0];
    if (!meta) return null;
    // without the 4-byte "PAR1" a file starts with: offsets in meta are then 4 more than in the bytes
    return { bytes: new Uint8Array(bytes.getBytes().subarray(4)), meta };
  }

  /** On the main thread: appends a row group a worker encoded, its offsets moved to where it lands. */
  appendRowGroup(g: EncodedRowGroup): void {
    const shift = BigInt(this.writer.writer.offset - 4);
    for (const c of g.meta.columns) {
      c.file_offset += shift;
      const m = c.meta_data;
      if (m) {
        m.data_page_offset += shift;
        if (m.dictionary_page_offset !== undefined) m.dictionary_page_offset += shift;
      }
    }
    this.writer.writer.appendBytes(g.bytes);
    this.writer.row_groups.push(g.meta);
    this.writer.num_rows += g.meta.num_rows;
    this.rowsWritten += Number(g.meta.num_rows);
  }

  close(): void {
    this.flush();
    this.writer.finish();
  }
}
