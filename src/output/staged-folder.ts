// A run folder being written: files go into a hidden partial folder beside the output and the folder is renamed
// into place only when complete, so a run folder appears complete or not at all. Long sweeps checkpoint there so
// `--resume` can continue after an interruption to byte-identical outputs.
import {
  closeSync,
  createWriteStream,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { commitFolder, writeFileAtomic } from "./atomic.ts";
import type { InputHashes } from "./manifest.ts";
import type { RunState } from "./state.ts";

/** What `--resume` needs to continue a run: the inputs it ran on, how far it got and the merged state so far. */
export interface Checkpoint extends InputHashes {
  range: [number, number];
  next_index: number;
  points_bytes: number;
  state: RunState;
}

/** The hidden folder a run of `outDir` works in: a stable name, so an interrupted run can be resumed. */
export function partialPaths(outDir: string) {
  const target = resolve(outDir);
  const partial = join(dirname(target), `.${basename(target)}.recsweep-partial`);
  return { target, partial, checkpoint: join(partial, "checkpoint.json") };
}

export class StagedFolder {
  readonly target: string;
  readonly dir: string;
  private readonly checkpointFile: string;
  private pointsFd: number | null = null;
  private pointsBytes = 0;

  constructor(outDir: string) {
    const p = partialPaths(outDir);
    this.target = p.target;
    this.dir = p.partial;
    this.checkpointFile = p.checkpoint;
  }

  /** The manifest of a complete run already at the target, when there is one and no interrupted run beside it. */
  completeManifest(): InputHashes | null {
    const manifest = join(this.target, "manifest.json");
    if (existsSync(this.checkpointFile) || !existsSync(manifest)) return null;
    return JSON.parse(readFileSync(manifest, "utf8")) as InputHashes;
  }

  readCheckpoint(): Checkpoint | null {
    return existsSync(this.checkpointFile)
      ? (JSON.parse(readFileSync(this.checkpointFile, "utf8")) as Checkpoint)
      : null;
  }

  /** Starts the folder: afresh (anything staged before is removed), or keeping a checkpointed run's files. */
  open(fresh: boolean): void {
    if (fresh) rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  /** points.csv: a new file starting with `header`, or a checkpointed one cut back to `resumeBytes`. */
  openPoints(header: string, resumeBytes: number | null): void {
    this.pointsFd = openSync(join(this.dir, "points.csv"), resumeBytes === null ? "w" : "r+");
    if (resumeBytes === null) this.pointsBytes = writeSync(this.pointsFd, header);
    else {
      ftruncateSync(this.pointsFd, resumeBytes);
      this.pointsBytes = resumeBytes;
    }
  }

  /** Appends points.csv bytes, in index order. */
  appendPoints(bytes: Uint8Array): void {
    if (this.pointsFd === null || bytes.length === 0) return;
    this.pointsBytes += writeSync(this.pointsFd, bytes, 0, bytes.length, this.pointsBytes);
  }

  /** Bytes of points.csv written so far (a checkpoint records it). */
  get pointsSize(): number {
    return this.pointsBytes;
  }

  closePoints(): void {
    if (this.pointsFd !== null) closeSync(this.pointsFd);
    this.pointsFd = null;
  }

  saveCheckpoint(cp: Checkpoint): void {
    writeFileAtomic(this.checkpointFile, JSON.stringify(cp));
  }

  /** Writes a JSON file of the run folder, pretty-printed, with a final newline. */
  writeJson(name: string, value: unknown): void {
    writeFileSync(join(this.dir, name), `${JSON.stringify(value, null, 2)}\n`);
  }

  /** Writes a text file of the run folder as given. */
  writeText(name: string, text: string): void {
    writeFileSync(join(this.dir, name), text);
  }

  /** Writes a file from text pieces in order, without holding them all in memory. */
  async writePieces(name: string, pieces: Iterable<string>): Promise<void> {
    const out = createWriteStream(join(this.dir, name));
    for (const piece of pieces) if (!out.write(piece)) await new Promise<void>((r) => out.once("drain", r));
    await new Promise<void>((resolve, reject) => {
      out.end();
      out.on("finish", resolve);
      out.on("error", reject);
    });
  }

  /** Renames the complete folder into place (the checkpoint is dropped first). */
  commit(): void {
    rmSync(this.checkpointFile, { force: true });
    commitFolder(this.dir, this.target);
  }

  /** A failed run leaves nothing behind. */
  abort(): void {
    this.closePoints();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
