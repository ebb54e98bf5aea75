// points.parquet: every feasible point as a compressed columnar file (Parquet), readable by pandas/pyarrow and
// DuckDB. Same columns and names as points.csv (or the spec's output.columns; output/parquet-layout.ts): axis values
// and named results dictionary-encoded, figures as 32-bit floats (points.csv writes six significant digits; a float
// keeps about seven), null where points.csv leaves a field empty. Each worker thread encodes its range's points as
// one row group (encodeRowGroup, typed arrays to bytes, output/parquet-chunk.ts); the main thread appends row groups
// in index order and hyparquet-writer writes the file's header and footer (PointsParquet).
import { fileWriter, ParquetWriter } from "hyparquet-writer";
import { radices } from "../space/space.ts";
import type { Plan } from "../spec/plan.ts";
import { Bytes, type ColumnChunk, deltaBinaryPacked, plainBytes, writeChunk } from "./parquet-chunk.ts";
import { dictionaryChunk, intervalBound, plainChunk, Scratch, transpose32 } from "./parquet-columns.ts";
import { RowUncertainty } from "./parquet-intervals.ts";
import { type LayoutColumn, parquetLayout, parquetSchema } from "./parquet-layout.ts";

/** A row group encoded on a worker thread: its bytes and its footer entry, with offsets from the bytes' start. */
export interface EncodedRowGroup {
  bytes: Uint8Array;
  meta: ParquetWriter["row_groups"][number];
}

const utf8 = new TextEncoder();

/** A value's PLAIN bytes in a dictionary page (null: a null field). */
function plainValue(kind: LayoutColumn["kind"], v: string | number | null): Uint8Array | null {
  if (v === null) return null;
  if (kind === "STRING") {
    const s = utf8.encode(String(v));
    const out = new Uint8Array(4 + s.length);
    new DataView(out.buffer).setUint32(0, s.length, true);
    out.set(s, 4);
    return out;
  }
  if (kind === "INT32") return plainBytes(Int32Array.of(v as number));
  return plainBytes(Float64Array.of(v as number));
}

/** What a thread keeps per plan: the layout, each dictionary column's PLAIN values by code, the intervals. */
interface Prepared {
  layout: LayoutColumn[];
  radix: number[];
  /** per layout column: PLAIN bytes of each code's value (axis columns: per axis value; named: per name, then "") */
  codeValues: Array<Array<Uint8Array | null> | null>;
  uncertainty: RowUncertainty;
  scratch: Scratch;
}

const prepared = new WeakMap<Plan, Prepared>();

function prepare(plan: Plan): Prepared {
  let p = prepared.get(plan);
  if (p) return p;
  const layout = parquetLayout(plan);
  const codeValues = layout.map((c) => {
    const s = c.source;
    if (s.from === "axis") return s.table.map((v) => plainValue(c.kind, v));
    if (s.from === "figure" && s.names) return [...s.names, ""].map((v) => plainValue(c.kind, v));
    return null;
  });
  const uncertainty = new RowUncertainty(plan);
  p = { layout, radix: radices(plan), codeValues, uncertainty, scratch: new Scratch() };
  prepared.set(plan, p);
  return p;
}

/**
 * The points `index[i]` with rows rows[i * NCOLS ..] (in index order, at least one) as one row group. Its bytes are
 * this thread's buffer: valid until the next call.
 */
export function encodeRowGroup(plan: Plan, index: Float64Array, rows: Float64Array): EncodedRowGroup {
  const { layout, radix, codeValues, uncertainty, scratch } = prepare(plan);
  const n = index.length;
  const { coords, ids, throughput, f32, codes, out } = scratch.fit(n, radix.length);
  // per axis, each row's coordinate
  for (let j = 0; j < n; j++) {
    let rest = index[j]!;
    for (let k = radix.length - 1; k >= 0; k--) {
      const q = Math.floor(rest / radix[k]!);
      coords[k]![j] = rest - q * radix[k]!;
      rest = q;
    }
  }
  if (layout.some((c) => c.source.from === "interval")) uncertainty.fill(coords, rows, n, ids, throughput);
  const byColumn = transpose32(rows, n, scratch.byColumn);
  const columns: ColumnChunk[] = layout.map((c, ci) => {
    const s = c.source;
    const base = { name: c.name, type: c.kind === "STRING" ? ("BYTE_ARRAY" as const) : c.kind, rows: n };
    if (s.from === "index") {
      const data = new Bytes(16 + n);
      deltaBinaryPacked(data, index, n);
      const input = { defined: null, dictionary: null, encoding: "DELTA_BINARY_PACKED" as const, values: data.view() };
      return writeChunk(out, 0, { ...base, ...input });
    }
    if (s.from === "axis")
      return writeChunk(out, 0, {
        ...base,
        ...dictionaryChunk(c.optional, coords[s.axis]!, n, codeValues[ci]!, scratch),
      });
    if (s.from === "figure") {
      const column = byColumn.subarray(s.col * n, s.col * n + n);
      if (!s.names)
        return writeChunk(out, 0, { ...base, ...plainChunk(c.optional, c.kind === "INT32", column, n, scratch) });
      const other = s.names.length; // a code outside the names writes "" (as points.csv does)
      for (let j = 0; j < n; j++) {
        const v = column[j]!;
        codes[j] = v >= 0 && v < other ? v : other;
      }
      return writeChunk(out, 0, { ...base, ...dictionaryChunk(c.optional, codes, n, codeValues[ci]!, scratch) });
    }
    if (c.name === "extrapolated" || c.name === "unmeasured") {
      const values = uncertainty.list.map(
        (u) =>
          c.name === "extrapolated"
            ? plainBytes(Int32Array.of(u.unmeasured.length ? 1 : 0))
            : u.unmeasured.length
              ? plainValue("STRING", u.unmeasured.join("+"))
              : null, // calibrated: points.csv's empty field
      );
      return writeChunk(out, 0, { ...base, ...dictionaryChunk(c.optional, ids, n, values, scratch) });
    }
    const key = (["lo80", "hi80", "lo95", "hi95"] as const)[s.interval]!;
    const factor = Float64Array.from(uncertainty.list, (u) => u.factors[key]);
    intervalBound(ids, throughput, factor, n, f32);
    return writeChunk(out, 0, { ...base, ...plainChunk(c.optional, false, f32, n, scratch) });
  });
  let raw = 0n;
  for (const c of columns) raw += c.meta_data!.total_uncompressed_size;
  return {
    bytes: out.view(),
    meta: { columns, total_byte_size: raw, num_rows: BigInt(n), total_compressed_size: BigInt(out.length) },
  };
}

/** points.parquet on the main thread: row groups come from the workers (appendRowGroup) in index order. */
export class PointsParquet {
  private readonly writer: ParquetWriter;
  rowsWritten = 0;

  private constructor(file: string, plan: Plan) {
    this.writer = new ParquetWriter({
      writer: fileWriter(file),
      schema: parquetSchema(parquetLayout(plan)),
      createdBy: "recsweep (hyparquet-writer)",
      statistics: false,
    });
  }

  static toFile(file: string, plan: Plan): PointsParquet {
    return new PointsParquet(file, plan);
  }

  /** Appends a row group a worker encoded, its offsets moved to where it lands. */
  appendRowGroup(g: EncodedRowGroup): void {
    const shift = BigInt(this.writer.writer.offset);
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
    this.writer.finish();
  }
}
