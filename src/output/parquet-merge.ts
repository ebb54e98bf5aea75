// points.parquet of merged shards (recsweep merge): the shards hold consecutive index ranges, so their row groups,
// appended in shard order, are the whole sweep's file. Row groups are copied as bytes, one at a time; only the
// footers are parsed (hyparquet).
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { parquetMetadata } from "hyparquet";
import type { Plan } from "../spec/plan.ts";
import { PointsParquet } from "./points-parquet.ts";

/** Bytes [start, start + length) of the open file `fd`. */
function readAt(fd: number, start: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, start + done);
    if (n === 0) throw new Error(`points.parquet ends before byte ${start + length}`);
    done += n;
  }
  return out;
}

/** Appends every row group of the points.parquet `file` (a shard's) to `out`, in the file's order. */
function appendFile(out: PointsParquet, file: string): void {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    if (size < 12) throw new Error(`${file}: too short for a Parquet file`);
    const metadataLength = new DataView(readAt(fd, size - 8, 4).buffer).getUint32(0, true);
    const meta = parquetMetadata(readAt(fd, size - 8 - metadataLength, metadataLength + 8));
    for (const group of meta.row_groups) {
      // a row group's column chunks lie one after the other: from the first chunk's start, their sizes added up
      let start = Number.POSITIVE_INFINITY,
        length = 0;
      for (const c of group.columns) {
        const m = c.meta_data!;
        start = Math.min(start, Number(m.dictionary_page_offset ?? m.data_page_offset));
        length += Number(m.total_compressed_size);
      }
      const shift = -BigInt(start);
      for (const c of group.columns) {
        c.file_offset += shift;
        const m = c.meta_data!;
        m.data_page_offset += shift;
        if (m.dictionary_page_offset !== undefined) m.dictionary_page_offset += shift;
      }
      out.appendRowGroup({ bytes: readAt(fd, start, length), meta: group });
    }
  } finally {
    closeSync(fd);
  }
}

/** Writes `target`, the points.parquet of `plan` holding the row groups of `files` (shards' files, in order). */
export function mergeParquetFiles(files: readonly string[], target: string, plan: Plan): void {
  const out = PointsParquet.toFile(target, plan);
  for (const f of files) appendFile(out, f);
  out.close();
}
