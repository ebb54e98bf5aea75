// The column chunk encoder of points.parquet (src/output/parquet-chunk.ts), read back by hyparquet: 64-bit delta
// encoding beyond 2^32, RLE / bit-packed runs of every width, nulls, and compressed and stored pages.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { brotliDecompressSync } from "node:zlib";
import { parquetReadObjects } from "hyparquet";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { bitWidth, Bytes, deltaBinaryPacked, plainBytes, rleHybrid, writeChunk } from "../src/output/parquet-chunk.ts";
import { seededRandom } from "../src/model/random.ts";

/** A one-row-group file of an INT64 delta column, an optional dictionary column and an optional float column. */
function file(index: Float64Array, codes: Int32Array, words: string[], figures: Float32Array): ArrayBuffer {
  const n = index.length;
  const bytes = new ByteWriter();
  const writer = new ParquetWriter({
    writer: bytes,
    schema: [
      { name: "root", num_children: 3 },
      { name: "index", repetition_type: "REQUIRED", type: "INT64" },
      { name: "word", repetition_type: "OPTIONAL", type: "BYTE_ARRAY", converted_type: "UTF8" },
      { name: "figure", repetition_type: "OPTIONAL", type: "FLOAT" },
    ],
    statistics: false,
  });
  const out = new Bytes();
  const base = bytes.offset;
  const delta = new Bytes();
  deltaBinaryPacked(delta, index, n);
  const columns = [
    writeChunk(out, base, {
      ...{ name: "index", type: "INT64", rows: n, defined: null, dictionary: null },
      ...{ encoding: "DELTA_BINARY_PACKED", values: delta.view() },
    }),
  ];
  // words: codes -1 are nulls, the dictionary is the words in order
  const defined = Uint8Array.from(codes, (c) => (c < 0 ? 0 : 1));
  const present = codes.filter((c) => c >= 0);
  const page = new Bytes();
  page.byte(bitWidth(words.length - 1));
  rleHybrid(page, present, present.length, bitWidth(words.length - 1));
  const dict = new Bytes();
  for (const w of words) {
    const b = new TextEncoder().encode(w);
    dict.u32(b.length);
    dict.bytes(b);
  }
  columns.push(
    writeChunk(out, base, {
      ...{ name: "word", type: "BYTE_ARRAY", rows: n, defined },
      ...{ dictionary: { bytes: dict.view(), count: words.length }, encoding: "RLE_DICTIONARY", values: page.view() },
    }),
  );
  const fdefined = Uint8Array.from(figures, (v) => (Number.isNaN(v) ? 0 : 1));
  const values = plainBytes(figures.filter((v) => !Number.isNaN(v)));
  columns.push(
    writeChunk(out, base, {
      name: "figure",
      type: "FLOAT",
      rows: n,
      defined: fdefined,
      dictionary: null,
      encoding: "PLAIN",
      values,
    }),
  );
  bytes.appendBytes(out.view());
  writer.row_groups.push({ columns, total_byte_size: BigInt(out.length), num_rows: BigInt(n) });
  writer.num_rows = BigInt(n);
  writer.finish();
  return bytes.getBuffer();
}

const read = (buffer: ArrayBuffer) =>
  parquetReadObjects({
    file: buffer,
    compressors: { BROTLI: (b: Uint8Array) => new Uint8Array(brotliDecompressSync(b)) },
  }) as Promise<Array<{ index: bigint; word: string | null; figure: number | null }>>;

test("chunks read back as written: 64-bit indices past 2^32, dictionary codes of every width, nulls", async () => {
  const random = seededRandom(7);
  for (const [n, width] of [
    [1, 1],
    [9, 3],
    [1000, 1],
    [5000, 7],
    [20000, 12],
  ] as const) {
    const index = new Float64Array(n);
    let v = 2 ** 40 + 3;
    for (let j = 0; j < n; j++) index[j] = v += 1 + Math.floor(random() * (j % 7 === 0 ? 5000 : 3));
    const words = Array.from({ length: 2 ** width }, (_, k) => `w${k}`);
    // long runs (RLE) and scattered values (bit-packed), some nulls
    const codes = Int32Array.from({ length: n }, (_, j) =>
      j % 11 === 0
        ? -1
        : (j >> 6) % 3 === 0
          ? words.length - 1 - ((j >> 8) % 2) * (words.length >> 1)
          : Math.floor(random() * words.length),
    );
    const figures = Float32Array.from({ length: n }, (_, j) => (j % 13 === 0 ? Number.NaN : random() * 1e6));
    const rows = await read(file(index, codes, words, figures));
    assert.is(rows.length, n);
    rows.forEach((r, j) => {
      if (r.index !== BigInt(index[j]!)) assert.unreachable(`n ${n} row ${j}: index ${r.index} != ${index[j]}`);
      const word = codes[j]! < 0 ? null : words[codes[j]!]!;
      if (r.word !== word) assert.unreachable(`n ${n} row ${j}: word ${r.word} != ${word}`);
      const figure = Number.isNaN(figures[j]!) ? null : figures[j]!;
      if (r.figure !== figure) assert.unreachable(`n ${n} row ${j}: figure ${r.figure} != ${figure}`);
    });
  }
});

test.run();
