/**
 * Plain-text helpers for the studio's JSON view (pure, framework-free, run in the browser):
 * where a JSON syntax error is (line and column), and on which line a JSON pointer's key is written.
 * Lines and columns are 1-based; offsets are string indices (UTF-16 code units, as JSON.parse reports).
 */
import { parsePointer, toPointer } from "../json-pointer";

export type LineColumn = { line: number; column: number };

export type JsonSyntaxError = {
  /** JSON.parse's message without its position suffix (English: engines do not translate it). */
  message: string;
  offset: number;
  line: number;
  column: number;
};

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; error: JsonSyntaxError };

/** How the studio writes a definition: two-space indentation, as in the repository's JSON files. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

const clamp = (n: number, min: number, max: number) => Math.min(Math.max(n, min), max);

export function offsetToLineColumn(text: string, offset: number): LineColumn {
  const at = clamp(Math.floor(offset), 0, text.length);
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < at; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: at - lineStart + 1 };
}

/** The offsets where a line starts and ends (before its newline); the last line when `line` is past it. */
export function lineRange(text: string, line: number): { start: number; end: number } {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf("\n", start);
    if (next === -1) break;
    start = next + 1;
  }
  const newline = text.indexOf("\n", start);
  let end = newline === -1 ? text.length : newline;
  if (end > start && text[end - 1] === "\r") end--;
  return { start, end };
}

export function lineColumnToOffset(text: string, { line, column }: LineColumn): number {
  const { start, end } = lineRange(text, line);
  return clamp(start + column - 1, start, end);
}

/**
 * The offset a JSON.parse error message points at, or null when it names none. Understands
 * V8 before 12 ("… in JSON at position 123"), V8 12+ ("… at position 123 (line 4 column 7)"),
 * Firefox ("… at line 4 column 7 of the JSON data") and "Unexpected end of JSON input".
 */
export function offsetFromJsonErrorMessage(message: string, text: string): number | null {
  const lineColumn = /\bline (\d+) column (\d+)/.exec(message);
  if (lineColumn) return lineColumnToOffset(text, { line: Number(lineColumn[1]), column: Number(lineColumn[2]) });
  const position = /\bat position (\d+)/.exec(message);
  if (position) return clamp(Number(position[1]), 0, text.length);
  if (/unexpected end of (json )?(input|data)/i.test(message)) return text.length;
  return null;
}

/** The message without the position (shown separately as line and column) nor V8's copy of the text. */
function shortMessage(message: string): string {
  return (
    message
      .replace(/^JSON\.parse: /, "")
      .replace(/ at line \d+ column \d+ of the JSON data$/, "")
      .replace(/ (in JSON )?at position \d+( \(line \d+ column \d+\))?$/, "")
      // Node 20: `Unexpected token '}', "{"a":}" is not valid JSON` — the quoted copy can be long.
      .replace(/, (\.\.\.)?".*is not valid JSON$/s, "")
      .trim() || message
  );
}

type ScanResult = {
  /** Where the text stops being JSON; null when it is valid. */
  error: { offset: number; reason: string } | null;
  /** For every value read before any error: its pointer → the offset of its key (members) or value (items, root). */
  locations: Map<string, number>;
};

class ScanFailure {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * A small JSON reader that remembers where each value is written. It also finds the first error when
 * the engine's message does not say where it is (Node 20: `Unexpected token '}', "…" is not valid JSON`).
 */
export function scanJson(text: string): ScanResult {
  const locations = new Map<string, number>();
  const n = text.length;
  let i = 0;
  const fail = (reason: string, at = i): never => {
    throw new ScanFailure(Math.min(at, n), reason);
  };
  const skipSpace = () => {
    while (i < n) {
      const c = text[i];
      if (c !== " " && c !== "\t" && c !== "\n" && c !== "\r") break;
      i++;
    }
  };
  const readString = (): string => {
    const start = i;
    i++; // opening quote
    for (;;) {
      if (i >= n) fail("Unterminated string");
      const c = text[i];
      if (c === '"') break;
      if (c === "\\") {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("Bad Unicode escape", i);
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail("Bad escaped character", i);
        continue;
      }
      if (c.charCodeAt(0) < 0x20) fail("Bad control character in string literal");
      i++;
    }
    i++; // closing quote
    return JSON.parse(text.slice(start, i)) as string;
  };
  const readValue = (pointer: string, keyOffset: number | null): void => {
    skipSpace();
    if (i >= n) fail("Unexpected end of JSON input");
    locations.set(pointer, keyOffset ?? i);
    const c = text[i];
    if (c === "{") {
      i++;
      skipSpace();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        skipSpace();
        if (text[i] !== '"') fail(i >= n ? "Unexpected end of JSON input" : "Expected double-quoted property name");
        const keyAt = i;
        const key = readString();
        skipSpace();
        if (text[i] !== ":") fail("Expected ':' after property name");
        i++;
        readValue(pointer + toPointer([key]), keyAt);
        skipSpace();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        fail(i >= n ? "Unexpected end of JSON input" : "Expected ',' or '}' after property value");
      }
    }
    if (c === "[") {
      i++;
      skipSpace();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (let index = 0; ; index++) {
        readValue(pointer + toPointer([index]), null);
        skipSpace();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        fail(i >= n ? "Unexpected end of JSON input" : "Expected ',' or ']' after array element");
      }
    }
    if (c === '"') {
      readString();
      return;
    }
    for (const literal of ["true", "false", "null"]) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number && number[0] !== "-") {
      i += number[0].length;
      return;
    }
    fail(`Unexpected token '${String.fromCodePoint(text.codePointAt(i) ?? 0)}'`);
  };

  try {
    readValue("", null);
    skipSpace();
    if (i < n) fail("Unexpected non-whitespace character after JSON");
    return { error: null, locations };
  } catch (error) {
    if (error instanceof ScanFailure) return { error: { offset: error.offset, reason: error.reason }, locations };
    // Nesting deep enough to overflow the stack: keep what was found.
    return { error: { offset: Math.min(i, n), reason: String((error as Error).message ?? error) }, locations };
  }
}

/** JSON.parse with the error's line and column, computed from the engine's message or, failing that, by scanning. */
export function parseJsonText(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    let offset = offsetFromJsonErrorMessage(raw, text);
    if (offset === null) offset = scanJson(text).error?.offset ?? 0;
    return { ok: false, error: { message: shortMessage(raw), offset, ...offsetToLineColumn(text, offset) } };
  }
}

/**
 * The line on which the value at `pointer` is written (its key's line for object members), or the
 * line of its closest written ancestor when it is absent (e.g. a missing required property); null when
 * not even the root can be found. A best effort: reads what it can of invalid text too.
 */
export function pointerToLine(text: string, pointer: string, locations: Map<string, number> = scanJson(text).locations): number | null {
  let parts: string[];
  try {
    parts = parsePointer(pointer === "/" ? "" : pointer);
  } catch {
    return null;
  }
  for (let length = parts.length; length >= 0; length--) {
    const offset = locations.get(toPointer(parts.slice(0, length)));
    if (offset !== undefined) return offsetToLineColumn(text, offset).line;
  }
  return null;
}
