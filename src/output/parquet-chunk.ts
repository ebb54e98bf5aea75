// Column chunks of a flat Parquet file, encoded from typed arrays (points.parquet's row groups, see
// output/points-parquet.ts). hyparquet-writer frames the file (magic, schema, footer); the chunks are encoded here
// because its general-purpose column writer (a JavaScript value per cell, dictionary trials, nested-level encoding)
// made a 10.1M-point sweep take 72.5 s against 6.8 s with points off (README "Outputs"), about 10 µs per row.
// Format: Apache Parquet format specification (parquet-format, Encodings.md and parquet.thrift). One DATA_PAGE
// (version 1) per chunk, as pyarrow writes by default; pages from 4 kB compressed with Brotli; dictionary pages
// PLAIN; data pages PLAIN, RLE_DICTIONARY or DELTA_BINARY_PACKED; definition levels RLE with a 4-byte length prefix.
import { brotliCompressSync, constants } from "node:zlib";
import type { ParquetWriter } from "hyparquet-writer";

/** hyparquet's ColumnChunk, as ParquetWriter's footer takes it. */
export type ColumnChunk = ParquetWriter["row_groups"][number]["columns"][number];

/** A growable byte buffer. */
export class Bytes {
  buf: Uint8Array;
  length = 0;
  constructor(capacity = 1 << 16) {
    this.buf = new Uint8Array(capacity);
  }
  ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + extra));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  byte(v: number): void {
    this.ensure(1);
    this.buf[this.length++] = v;
  }
  /** unsigned LEB128 of a non-negative integer below 2^53 */
  varint(v: number): void {
    this.ensure(8);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }
  /** zigzag LEB128 of an integer of magnitude below 2^52 */
  zigzag(v: number): void {
    this.varint(v < 0 ? -2 * v - 1 : 2 * v);
  }
  u32(v: number): void {
    this.ensure(4);
    const b = this.buf,
      o = this.length;
    b[o] = v & 0xff;
    b[o + 1] = (v >>> 8) & 0xff;
    b[o + 2] = (v >>> 16) & 0xff;
    b[o + 3] = (v >>> 24) & 0xff;
    this.length += 4;
  }
  bytes(v: Uint8Array): void {
    this.ensure(v.length);
    this.buf.set(v, this.length);
    this.length += v.length;
  }
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** Little-endian typed arrays are the PLAIN encoding; on a big-endian host the bytes would need swapping. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
export const plainBytes = (a: Float32Array | Int32Array | Float64Array): Uint8Array => {
  if (!LITTLE_ENDIAN) throw new Error("points.parquet is written on little-endian hosts only");
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
};

/**
 * RLE / bit-packed hybrid (Encodings.md "Run Length Encoding / Bit-Packing Hybrid") of values[0, n), each below
 * 2^width (width <= 24): runs of 8 or more equal values as RLE runs, the rest as bit-packed groups of 8.
 */
export function rleHybrid(out: Bytes, values: ArrayLike<number>, n: number, width: number): void {
  const valueBytes = (width + 7) >> 3;
  let i = 0;
  while (i < n) {
    // the run at i
    const v = values[i]!;
    let run = 1;
    while (i + run < n && values[i + run] === v) run++;
    if (run >= 8) {
      out.varint(run * 2);
      out.ensure(valueBytes);
      for (let k = 0; k < valueBytes; k++) out.buf[out.length++] = (v >>> (8 * k)) & 0xff;
      i += run;
      continue;
    }
    // bit-packed groups of 8 until the next run of 8 starts at a group boundary (or the values end)
    let end = i;
    for (;;) {
      end = Math.min(end + 8, n);
      if (end >= n) break;
      const w = values[end]!;
      let r = 1;
      while (r < 8 && end + r < n && values[end + r] === w) r++;
      if (r >= 8) break;
    }
    const groups = Math.ceil((end - i) / 8);
    out.varint(groups * 2 + 1);
    out.ensure(groups * width);
    const b = out.buf;
    let o = out.length,
      acc = 0,
      bits = 0;
    for (let j = i; j < i + groups * 8; j++) {
      acc |= (j < n ? values[j]! : 0) << bits;
      bits += width;
      while (bits >= 8) {
        b[o++] = acc & 0xff;
        acc >>>= 8;
        bits -= 8;
      }
    }
    out.length = o;
    i = end;
  }
}

/** Bits needed for values up to `max` (at least 1, as readers expect for dictionary indices). */
export const bitWidth = (max: number): number => Math.max(1, 32 - Math.clz32(max));

/**
 * DELTA_BINARY_PACKED (Encodings.md) of increasing integers values[0, n) below 2^53: blocks of 128 values in 4
 * miniblocks of 32.
 */
export function deltaBinaryPacked(out: Bytes, values: Float64Array, n: number): void {
  out.varint(128);
  out.varint(4);
  out.varint(n);
  out.zigzag(n ? values[0]! : 0);
  const delta = new Float64Array(128);
  for (let start = 1; start < n; start += 128) {
    const count = Math.min(128, n - start);
    let min = Infinity;
    for (let j = 0; j < count; j++) {
      delta[j] = values[start + j]! - values[start + j - 1]!;
      if (delta[j]! < min) min = delta[j]!;
    }
    out.zigzag(min);
    const widths = [0, 0, 0, 0];
    for (let m = 0; m * 32 < count; m++) {
      let max = 0;
      for (let j = m * 32; j < Math.min(count, m * 32 + 32); j++) max = Math.max(max, delta[j]! - min);
      if (max >= 2 ** 31) throw new Error("points.parquet: index gap beyond 2^31 in one block");
      widths[m] = 32 - Math.clz32(max);
    }
    for (const w of widths) out.byte(w);
    for (let m = 0; m * 32 < count; m++) {
      const w = widths[m]!;
      out.ensure(4 * w);
      let acc = 0,
        bits = 0;
      for (let j = m * 32; j < m * 32 + 32; j++) {
        const v = j < count ? delta[j]! - min : 0;
        let rest = v,
          left = w;
        while (left > 0) {
          const take = Math.min(left, 8 - bits);
          acc |= (rest & ((1 << take) - 1)) << bits;
          rest >>>= take;
          bits += take;
          left -= take;
          if (bits === 8) {
            out.buf[out.length++] = acc;
            acc = 0;
            bits = 0;
          }
        }
      }
    }
  }
}

// Thrift compact protocol (parquet.thrift's PageHeader): field headers as (id delta << 4) | type
const I32 = 5;
const STRUCT = 12;

function field(out: Bytes, last: number, id: number, type: number): number {
  out.byte(((id - last) << 4) | type);
  return id;
}

/** A PageHeader: DATA_PAGE (type 0) with its encoding, or DICTIONARY_PAGE (type 2) with PLAIN. */
function pageHeader(out: Bytes, dictionary: boolean, raw: number, stored: number, values: number, enc: number): void {
  let f = field(out, 0, 1, I32);
  out.zigzag(dictionary ? 2 : 0);
  f = field(out, f, 2, I32);
  out.zigzag(raw);
  f = field(out, f, 3, I32);
  out.zigzag(stored);
  field(out, f, dictionary ? 7 : 5, STRUCT);
  let g = field(out, 0, 1, I32);
  out.zigzag(values);
  g = field(out, g, 2, I32);
  out.zigzag(dictionary ? ENCODING.PLAIN : enc);
  if (!dictionary) {
    // definition and repetition levels: RLE
    g = field(out, g, 3, I32);
    out.zigzag(ENCODING.RLE);
    g = field(out, g, 4, I32);
    out.zigzag(ENCODING.RLE);
  }
  out.byte(0); // end of the inner struct
  out.byte(0); // end of PageHeader
}

const ENCODING = { PLAIN: 0, RLE: 3, DELTA_BINARY_PACKED: 5, RLE_DICTIONARY: 8 } as const;
export type DataEncoding = "PLAIN" | "RLE_DICTIONARY" | "DELTA_BINARY_PACKED";
type Physical = "INT32" | "INT64" | "FLOAT" | "DOUBLE" | "BYTE_ARRAY";

export interface ChunkInput {
  name: string;
  type: Physical;
  rows: number;
  /** definition levels (1 = present, 0 = null) of an OPTIONAL column, one per row; null for REQUIRED */
  defined: Uint8Array | null;
  /** the dictionary page's PLAIN values, and how many; null without a dictionary */
  dictionary: { bytes: Uint8Array; count: number } | null;
  encoding: DataEncoding;
  /** the data page's encoded values (non-null rows only) */
  values: Uint8Array;
}

/** Data pages from this size are compressed; smaller ones are stored (a compressor call costs more than it saves). */
const COMPRESS_FROM_BYTES = 4096;
/**
 * Brotli at quality 0 (native zlib): on the 10.1M-point sweeps/bench-parquet.yaml (6.4M rows, 2 shared cores) the
 * run's CPU time was 18.0 s against 23.2 s with gzip at level 1 (means of 5 runs each; README "Outputs"), for a file
 * of 25.6 instead of 21.9 bytes per point. pyarrow (pandas), DuckDB, Polars and hyparquet read it.
 */
const CODEC = "BROTLI";
const compress = (b: Uint8Array): Uint8Array =>
  brotliCompressSync(b, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 0, [constants.BROTLI_PARAM_SIZE_HINT]: b.length },
  });

/**
 * Appends one column chunk (an optional dictionary page, then one data page) to `out`, whose byte 0 will sit at file
 * offset `base`; returns the chunk's footer entry.
 */
export function writeChunk(out: Bytes, base: number, c: ChunkInput): ColumnChunk {
  const start = out.length;
  // small pages stay uncompressed: a zlib call costs more than it saves there
  const compressed = c.values.length >= COMPRESS_FROM_BYTES;
  let raw = 0;
  let dictionaryOffset: bigint | undefined;
  if (c.dictionary) {
    dictionaryOffset = BigInt(base + out.length);
    const stored = compressed ? compress(c.dictionary.bytes) : c.dictionary.bytes;
    const h = out.length;
    pageHeader(out, true, c.dictionary.bytes.length, stored.length, c.dictionary.count, 0);
    raw += out.length - h + c.dictionary.bytes.length;
    out.bytes(stored);
  }
  const dataOffset = BigInt(base + out.length);
  let body = c.values;
  if (c.defined) {
    const levels = new Bytes(64 + (c.rows >> 3));
    levels.u32(0);
    rleHybrid(levels, c.defined, c.rows, 1);
    const n = levels.length - 4;
    levels.length = 0;
    levels.u32(n);
    levels.length = n + 4;
    levels.bytes(c.values);
    body = levels.view();
  }
  const stored = compressed ? compress(body) : body;
  const h = out.length;
  pageHeader(out, false, body.length, stored.length, c.rows, ENCODING[c.encoding]);
  raw += out.length - h + body.length;
  out.bytes(stored);
  return {
    file_offset: BigInt(base + start),
    meta_data: {
      type: c.type,
      encodings: c.dictionary ? ["PLAIN", "RLE", c.encoding] : ["RLE", c.encoding],
      path_in_schema: [c.name],
      codec: compressed ? CODEC : "UNCOMPRESSED",
      num_values: BigInt(c.rows),
      total_uncompressed_size: BigInt(raw),
      total_compressed_size: BigInt(out.length - start),
      data_page_offset: dataOffset,
      ...(dictionaryOffset !== undefined ? { dictionary_page_offset: dictionaryOffset } : {}),
    },
  };
}
