// Loading a CommonJS module the build generated (the precompiled validators) with V8's code cache: the build runs
// the module once and stores its compiled bytecode beside it, so a run neither parses nor compiles ~1.4 MB of
// validator code (measured on the sweep validator: 90 ms without the cache, 12 ms with it). The cache is only an
// acceleration: V8 checks it against the source and its own version and flags, and a cache it rejects (another
// Node.js, other V8 flags such as --cpu-prof) or a missing one means the module is compiled as usual.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { Script } from "node:vm";

/** The code-cache file the build writes beside a generated module. */
export const codeCacheFile = (file: string) => `${file}.v8cache`;

const wrap = (source: string) => `(function (exports, require, module, __filename, __dirname) {${source}\n})`;

function compileModule(file: string, cachedData?: Buffer): { exports: unknown; script: Script } {
  const script = new Script(wrap(readFileSync(file, "utf8")), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as unknown };
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn(module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, script };
}

/** The exports of the CommonJS module `file`, compiled from its code cache when V8 accepts it. */
export function requireCached(file: string): unknown {
  const cache = codeCacheFile(file);
  return compileModule(file, existsSync(cache) ? readFileSync(cache) : undefined).exports;
}

/**
 * Build step: loads `file`, lets `exercise` call into it (functions V8 compiles lazily are cached only once they have
 * run), then writes the code cache beside it.
 */
export function writeCodeCache(file: string, exercise: (exports: unknown) => void): void {
  const { exports, script } = compileModule(file);
  exercise(exports);
  writeFileSync(codeCacheFile(file), script.createCachedData());
}

/** writeCodeCache for an exercise that finishes later (a whole command run through the module). */
export async function writeCodeCacheAfter(file: string, exercise: (exports: unknown) => Promise<void>): Promise<void> {
  const { exports, script } = compileModule(file);
  await exercise(exports);
  writeFileSync(codeCacheFile(file), script.createCachedData());
}
