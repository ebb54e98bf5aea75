// The PointsEncoder (engine/encode.ts) of runs that write points.parquet: each worker thread encodes its range's
// points as one Parquet row group (and, with points.csv on, their CSV lines), so encoding runs on every thread and
// the main thread only appends bytes and row-group metadata in index order (output/points-parquet.ts).
// A frame: u32 CSV length, the CSV bytes, u32 row-group length, the row-group bytes, then its metadata as JSON.
import type { Plan } from "../spec/plan.ts";
import { encodePoints as encodeCsv } from "./points-encoder.ts";
import { type EncodedRowGroup, encodeRowGroup } from "./points-parquet.ts";

const utf8 = new TextEncoder();

export function encodePoints(plan: Plan, index: Float64Array, rows: Float64Array): Uint8Array {
  const csv = plan.writePoints ? encodeCsv(plan, index, rows) : new Uint8Array(0);
  const group: EncodedRowGroup | null = index.length ? encodeRowGroup(plan, index, rows) : null;
  const meta = group ? utf8.encode(JSON.stringify(group.meta, (_, v) => (typeof v === "bigint" ? `${v}n` : v))) : null;
  const rg = group?.bytes ?? new Uint8Array(0);
  const out = new Uint8Array(8 + csv.length + rg.length + (meta?.length ?? 0));
  const view = new DataView(out.buffer);
  view.setUint32(0, csv.length, true);
  out.set(csv, 4);
  view.setUint32(4 + csv.length, rg.length, true);
  out.set(rg, 8 + csv.length);
  if (meta) out.set(meta, 8 + csv.length + rg.length);
  return out;
}

/** A frame's parts: the CSV bytes and the row group (null: the range had no feasible point). */
export function decodeFrame(frame: Uint8Array): { csv: Uint8Array; group: EncodedRowGroup | null } {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const csvLength = view.getUint32(0, true);
  const csv = frame.subarray(4, 4 + csvLength);
  const rgLength = view.getUint32(4 + csvLength, true);
  if (rgLength === 0) return { csv, group: null };
  const bytes = frame.subarray(8 + csvLength, 8 + csvLength + rgLength);
  const text = new TextDecoder().decode(frame.subarray(8 + csvLength + rgLength));
  const meta = JSON.parse(text, (_, v) => (typeof v === "string" && /^\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v));
  return { csv, group: { bytes, meta } };
}

/** This module's URL, for SweepOptions.pointsEncoder (the .ts file under tsx, the built .js otherwise). */
export const PARQUET_ENCODER_URL = import.meta.url;
