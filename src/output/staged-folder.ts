// A run folder being written: files go into a hidden staging folder beside the output and the folder is renamed
// into place only when complete, so a run folder appears complete or not at all. Long sweeps checkpoint there so
// `--resume` can continue after an interruption to byte-identical outputs.
import {
  closeSync,
  createWriteStream,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../input/errors.ts";
import type { Plan } from "../spec/plan.ts";
import { writePiecesAtomic } from "./atomic.ts";
import { sameInputs, type InputHashes } from "./manifest.ts";
import { checkState, readRunJson } from "./run-files.ts";
import type { OutOptions } from "./out-target.ts";
import { stageOut, type StagedOut } from "./safe-out.ts";
import type { RunState } from "./state.ts";

/** What `--resume` needs to continue a run: the inputs it ran on, how far it got and the merged state so far. */
export interface Checkpoint extends InputHashes {
  range: [number, number];
  next_index: number;
  points_bytes: number;
  state: RunState;
}

/**
 * A run's staging folder under the output-safety rules of safe-out.ts: the target is checked (only recsweep's own
 * run folder of the same spec is replaced), locked for this process, and written through a staging folder unique to
 * the process. `release()` always, after commit() or on failure.
 */
export class StagedFolder {
  readonly target: string;
  readonly dir: string;
  private readonly staged: StagedOut;
  private pointsFd: number | null = null;
  private pointsBytes = 0;

  constructor(outDir: string, opts: OutOptions & { resume?: boolean }) {
    this.staged = stageOut(resolve(outDir), opts);
    this.target = this.staged.target;
    this.dir = this.staged.partial;
  }

  /** The manifest of a complete run already at the target, when there is one and no interrupted run was taken over. */
  completeManifest(): InputHashes | null {
    const manifest = join(this.target, "manifest.json");
    if (this.staged.adopted || !existsSync(manifest)) return null;
    return readRunJson(manifest, "manifest") as InputHashes;
  }

  /**
   * The checkpoint of the interrupted run this folder took over (--resume), validated against the plan; null when
   * there is none, or when its points.csv is shorter than the checkpoint says (then the run starts afresh).
   */
  readCheckpoint(plan: Plan): Checkpoint | null {
    if (!this.staged.adopted || !existsSync(this.staged.checkpoint)) return null;
    const hint = "; run without --resume to start afresh";
    const cp = readRunJson(this.staged.checkpoint, "checkpoint", hint) as Checkpoint;
    if (sameInputs(cp, plan)) checkState(cp.state, plan, this.staged.checkpoint, hint);
    if (cp.next_index < cp.range[0] || cp.next_index > cp.range[1]) {
      throw new InputError(
        `${this.staged.checkpoint}: next_index ${cp.next_index} is outside its range (expected a checkpoint written ` +
          `by recsweep${hint})`,
      );
    }
    const points = join(this.dir, "points.csv");
    if (plan.writePoints && !(existsSync(points) && statSync(points).size >= cp.points_bytes)) return null;
    return cp;
  }

  /** Starts the folder: afresh (an interrupted run's files are removed), or keeping a checkpointed run's files. */
  open(fresh: boolean): void {
    if (fresh && this.staged.adopted) {
      rmSync(this.dir, { recursive: true, force: true });
      mkdirSync(this.dir, { recursive: true });
    }
    // a checkpoint the interrupted run was writing when it stopped (writePiecesAtomic's temporary file) is not ours
    if (this.staged.adopted)
      for (const f of readdirSync(this.dir)) if (/\.tmp-\d+$/.test(f)) rmSync(join(this.dir, f), { force: true });
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

  /** Writes the checkpoint: `head` (all but the state) and the state's JSON text in pieces (runStateJson). */
  saveCheckpoint(head: Omit<Checkpoint, "state">, state: Iterable<string>): void {
    const json = JSON.stringify(head);
    writePiecesAtomic(this.staged.checkpoint, [json.slice(0, -1), ',"state":', state, "}"]);
  }

  /** Writes a file of the run folder from text pieces in order (synchronously, one piece in memory at a time). */
  writeTextPieces(name: string, pieces: Iterable<string>): void {
    writePiecesAtomic(join(this.dir, name), [pieces]);
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
    try {
      for (const piece of pieces) if (!out.write(piece)) await new Promise<void>((r) => out.once("drain", r));
    } catch (e) {
      // a piece that cannot be made (a damaged input) ends the stream before the staging folder goes
      await new Promise<void>((r) => out.destroy().once("close", r));
      throw e;
    }
    await new Promise<void>((resolve, reject) => {
      out.end();
      out.on("finish", resolve);
      out.on("error", reject);
    });
  }

  /** Renames the complete folder into place (the checkpoint is dropped first). */
  commit(): void {
    rmSync(this.staged.checkpoint, { force: true });
    this.staged.commit();
  }

  /** Removes the staging folder (a failed run leaves nothing behind; a committed one has none) and the lock. */
  release(): void {
    this.closePoints();
    this.staged.release();
  }

  /** Leaves the interrupted run this folder took over where a later --resume finds it (release keeps it). */
  keepInterrupted(): void {
    this.staged.keep();
  }
}
