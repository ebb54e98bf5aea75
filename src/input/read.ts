// Reads a YAML or JSON input file safely (size cap, UTF-8, no custom tags, alias and depth caps) and keeps the
// source positions so later checks can say file:line:col.
import { LineCounter, parseDocument, isMap, isScalar, isSeq, visit, type Document, type Node } from "yaml";
import { readBounded, type BoundedReadOptions } from "./bounded-read.ts";
import { InputError } from "./errors.ts";

export const MAX_INPUT_BYTES = 8 * 1024 * 1024;
export const MAX_DEPTH = 32;
export const MAX_ALIASES = 100;

export type PathSegment = string | number;

export interface ParsedFile {
  file: string;
  data: unknown;
  /** "file:line:col" of the value at `path`, or of its nearest existing parent. */
  where(path: readonly PathSegment[], key?: string): string;
}

/**
 * Reads bytes with the checks every input shares (a byte cap that does not trust stat, UTF-8); the caller names
 * what the file is for. `regularOnly`: refuse special files without opening them (files found in a folder).
 */
export function readTextFile(file: string, maxBytes = MAX_INPUT_BYTES, opts: BoundedReadOptions = {}): string {
  const bytes = readBounded(file, maxBytes, opts);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(
      `${file}: not valid UTF-8 text (expected a UTF-8 ${opts.expected ? "text file" : "YAML or JSON file"})`,
    );
  }
}

/**
 * The nesting depth of parsed data (a scalar: 1), or the first depth found above `limit`. Recursive without risk: it
 * stops descending past `limit`, so a hostile file cannot overflow the stack; no pair per node is allocated (the
 * built-in catalog's ~8,000 values are checked on every start).
 */
function depthOf(value: unknown, limit: number, depth = 1): number {
  if (depth > limit || value === null || typeof value !== "object") return depth;
  let max = depth;
  const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
  for (let i = 0; i < children.length; i++) {
    const d = depthOf(children[i], limit, depth + 1);
    if (d > max) {
      max = d;
      if (max > limit) return max;
    }
  }
  return max;
}

/** "AT: duplicate key 'pue' (first at AT; expected each key once in a mapping)" for a repeated key at `offset`. */
function duplicateKeyMessage(doc: Document.Parsed, offset: number, pos: (offset: number) => string): string {
  let message = `${pos(offset)}: a key repeated in one mapping (expected each key once)`;
  visit(doc, {
    Map(_k, map) {
      const keys = map.items.map((p) => p.key as Node | null);
      const later = keys.findIndex((k) => k?.range?.[0] === offset);
      if (later < 0) return;
      const name = (keys[later] as { value?: unknown }).value;
      const first = keys.findIndex((k) => (k as { value?: unknown } | null)?.value === name);
      message =
        `${pos(offset)}: duplicate key '${String(name)}' (first at ${pos(keys[first]!.range![0])}; expected each ` +
        "key once in a mapping)";
      return visit.BREAK;
    },
  });
  return message;
}

export function parseYamlText(file: string, text: string): ParsedFile {
  const lineCounter = new LineCounter();
  const pos = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, customTags: [], uniqueKeys: true, strict: true });
  } catch (e) {
    throw new InputError(`${file}: cannot parse (${(e as Error).message})`);
  }
  const problems = [...doc.errors, ...doc.warnings].map((e) => {
    if (e.code === "DUPLICATE_KEY") return duplicateKeyMessage(doc, e.pos[0], pos);
    if (e.code === "MULTIPLE_DOCS")
      return `${pos(e.pos[0])}: a second YAML document starts here ('---'; expected one document per file)`;
    return `${pos(e.pos[0])}: ${e.message.split("\n")[0]} (expected valid YAML or JSON)`;
  });
  // keys that are lists or mappings (`? [1, 2]`) would become strings with a warning: refuse them with a position
  visit(doc, {
    Pair(_k, pair) {
      const key = pair.key as Node | null;
      if (key && !isScalar(key))
        problems.push(
          `${pos(key.range?.[0] ?? 0)}: a ${isSeq(key) ? "list" : "mapping"} used as a key (expected plain string ` +
            "keys)",
        );
    },
  });
  if (problems.length) throw new InputError(problems);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    throw new InputError(`${file}: ${(e as Error).message} (expected at most ${MAX_ALIASES} alias expansions)`);
  }
  if (data === null || data === undefined) throw new InputError(`${file}:1:1: file is empty (expected a mapping)`);
  if (typeof data !== "object" || Array.isArray(data)) {
    throw new InputError(
      `${pos(doc.contents?.range?.[0] ?? 0)}: top level is ${Array.isArray(data) ? "a list" : typeof data} (expected ` +
        "a mapping)",
    );
  }
  if (depthOf(data, MAX_DEPTH) > MAX_DEPTH)
    throw new InputError(`${file}: nesting deeper than ${MAX_DEPTH} levels (expected a flatter file)`);
  const where = (path: readonly PathSegment[], key?: string): string => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as Node | undefined;
      if (node?.range) {
        if (key !== undefined && n === path.length && isMap(node)) {
          const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
          const keyRange = (pair?.key as Node | undefined)?.range;
          if (keyRange) return pos(keyRange[0]);
        }
        return pos(node.range[0]);
      }
      if (n === 0 && !node) return pos(0);
    }
    return pos(0);
  };
  return { file, data, where };
}

export function readYamlFile(file: string, opts: BoundedReadOptions = {}): ParsedFile {
  const text = readTextFile(file, MAX_INPUT_BYTES, opts);
  if (/\.json$/i.test(file)) {
    // Fast path for JSON: parse natively; build the positioned YAML view only if a check needs a position.
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      // JSON has no comments, and the YAML reading below would take a // line for a key: say what it is
      const comment = /^[ \t]*(\/\/|\/\*)/m.exec(text);
      if (comment) {
        const before = text.slice(0, comment.index).split("\n");
        throw new InputError(
          `${file}:${before.length}:${before.at(-1)!.length + comment[0].length - comment[1]!.length + 1}: a comment ` +
            "in a JSON file (expected plain JSON; a .yaml file of the same content may hold # comments)",
        );
      }
      return parseYamlText(file, text);
    }
    // JSON.parse keeps the last of duplicate keys; the positioned parse refuses them, as for YAML
    if (
      data === null ||
      typeof data !== "object" ||
      Array.isArray(data) ||
      depthOf(data, MAX_DEPTH) > MAX_DEPTH ||
      hasDuplicateJsonKey(text, data)
    )
      return parseYamlText(file, text);
    let positioned: ParsedFile | undefined;
    return { file, data, where: (path, key) => (positioned ??= parseYamlText(file, text)).where(path, key) };
  }
  return parseYamlText(file, text);
}

/**
 * Whether valid JSON text has an object with the same key twice (keys compared after unescaping). `data`: the text
 * parsed (JSON.parse). In valid JSON a string followed by a colon is a key, so the text's keys are counted with one
 * regular expression and compared with the members of the parsed objects, which keep one of each duplicate: on the
 * 210 kB catalog, ~1.3 ms where a character-by-character scan took 20-30 ms of every run.
 */
export function hasDuplicateJsonKey(text: string, data: unknown = JSON.parse(text)): boolean {
  const keysInText = text.match(JSON_KEY)?.length ?? 0;
  let members = 0;
  const stack: unknown[] = [data];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== "object") continue;
    if (!Array.isArray(v)) members += Object.keys(v).length;
    for (const child of Object.values(v)) if (child !== null && typeof child === "object") stack.push(child);
  }
  return keysInText !== members;
}

/** A JSON string and the colon after it: a key (escapes are taken whole, so an escaped quote does not end it). */
const JSON_KEY = /"(?:[^"\\]|\\.)*"\s*:/g;

export { isSeq };
