import { describe, expect, it } from "vitest";
import {
  lineColumnToOffset,
  lineRange,
  offsetFromJsonErrorMessage,
  offsetToLineColumn,
  parseJsonText,
  pointerToLine,
  prettyJson,
  scanJson,
} from "~/core/studio/json-text";

const text = prettyJson({ a: { b: [1, { c: 2 }], "x/y": 3, "t~": true }, z: null });
/*
 1 {
 2   "a": {
 3     "b": [
 4       1,
 5       {
 6         "c": 2
 7       }
 8     ],
 9     "x/y": 3,
10     "t~": true
11   },
12   "z": null
13 }
*/

describe("offsets, lines and columns", () => {
  it("turns an offset into a 1-based line and column", () => {
    expect(offsetToLineColumn("abc", 0)).toEqual({ line: 1, column: 1 });
    expect(offsetToLineColumn("ab\ncd\nef", 4)).toEqual({ line: 2, column: 2 });
    expect(offsetToLineColumn("ab\ncd\nef", 6)).toEqual({ line: 3, column: 1 });
    // past the end or negative: clamped
    expect(offsetToLineColumn("ab\ncd", 99)).toEqual({ line: 2, column: 3 });
    expect(offsetToLineColumn("ab", -5)).toEqual({ line: 1, column: 1 });
  });

  it("finds a line's range and turns a line and column back into an offset", () => {
    expect(lineRange("ab\ncde\r\nf", 2)).toEqual({ start: 3, end: 6 });
    expect(lineRange("ab\ncd", 9)).toEqual({ start: 3, end: 5 });
    expect(lineColumnToOffset("ab\ncde", { line: 2, column: 2 })).toBe(4);
    expect(lineColumnToOffset("ab\ncde", { line: 2, column: 99 })).toBe(6);
  });
});

describe("positions in JSON.parse error messages", () => {
  const sample = '{\n  "a": 1,\n  "b": }\n}';

  it("reads V8's older '… in JSON at position N'", () => {
    expect(offsetFromJsonErrorMessage("Unexpected token } in JSON at position 19", sample)).toBe(19);
    expect(offsetFromJsonErrorMessage("Expected double-quoted property name in JSON at position 8", sample)).toBe(8);
  });

  it("reads V8's newer '… (line L column C)' and prefers it to the position", () => {
    // line 3 column 8 is the "}" after "b":
    const offset = offsetFromJsonErrorMessage("Unexpected token '}', ... is not valid JSON at position 19 (line 3 column 8)", sample);
    expect(offset).toBe(19);
    expect(offsetToLineColumn(sample, offset!)).toEqual({ line: 3, column: 8 });
    expect(offsetFromJsonErrorMessage("Expected ',' or '}' after property value in JSON at position 999 (line 2 column 3)", sample)).toBe(4);
  });

  it("reads Firefox's '… at line L column C of the JSON data' and the end of input", () => {
    expect(offsetFromJsonErrorMessage("JSON.parse: unexpected character at line 3 column 8 of the JSON data", sample)).toBe(19);
    expect(offsetFromJsonErrorMessage("Unexpected end of JSON input", sample)).toBe(sample.length);
  });

  it("returns null when the message names no position", () => {
    expect(offsetFromJsonErrorMessage(`Unexpected token '}', "{"a":}" is not valid JSON`, '{"a":}')).toBeNull();
  });
});

describe("parseJsonText", () => {
  it("returns the value of valid JSON", () => {
    expect(parseJsonText(text)).toEqual({ ok: true, value: JSON.parse(text) });
  });

  it("locates an error V8 reports with a position", () => {
    const result = parseJsonText('{\n  "a": 1,\n}');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ line: 3, column: 1, offset: 12 });
    expect(result.error.message).not.toMatch(/position/);
  });

  it("locates an error V8 reports without a position (Node 20: Unexpected token …)", () => {
    const result = parseJsonText('{\n  "a": {\n    "b": x\n  }\n}');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ line: 3, column: 10 });
    // the quoted copy of the text is left out of the message
    expect(result.error.message).toMatch(/^Unexpected token/);
    expect(result.error.message).not.toContain("is not valid JSON");
  });

  it("places an unterminated document at its end", () => {
    const result = parseJsonText('{\n  "a": [1, 2');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.line).toBe(2);
  });

  it("agrees with the scanner on where common mistakes are", () => {
    const cases: [string, number, number][] = [
      ['{"a": 1,}', 1, 9], // trailing comma
      ['{"a" 1}', 1, 6], // missing colon
      ['{"a": 1}\n x', 2, 2], // text after the document
      ['{\n  "a": "b\n}', 2, 10], // control character in a string
    ];
    for (const [source, line, column] of cases) {
      const result = parseJsonText(source);
      expect(result.ok, source).toBe(false);
      if (!result.ok) expect([result.error.line, result.error.column], source).toEqual([line, column]);
      const scanned = scanJson(source).error;
      expect(scanned, source).not.toBeNull();
      expect(offsetToLineColumn(source, scanned!.offset), source).toEqual({ line, column });
    }
  });
});

describe("pointerToLine", () => {
  it("finds the line of a member's key, of an array item and of the root", () => {
    expect(pointerToLine(text, "")).toBe(1);
    expect(pointerToLine(text, "/")).toBe(1);
    expect(pointerToLine(text, "/a")).toBe(2);
    expect(pointerToLine(text, "/a/b")).toBe(3);
    expect(pointerToLine(text, "/a/b/0")).toBe(4);
    expect(pointerToLine(text, "/a/b/1")).toBe(5);
    expect(pointerToLine(text, "/a/b/1/c")).toBe(6);
    expect(pointerToLine(text, "/z")).toBe(12);
  });

  it("understands escaped pointer segments", () => {
    expect(pointerToLine(text, "/a/x~1y")).toBe(9);
    expect(pointerToLine(text, "/a/t~0")).toBe(10);
  });

  it("falls back to the closest ancestor that is written", () => {
    expect(pointerToLine(text, "/a/missing")).toBe(2);
    expect(pointerToLine(text, "/a/b/7/c")).toBe(3);
    expect(pointerToLine(text, "/nothing/here")).toBe(1);
  });

  it("works on compact text and reads what it can of invalid text", () => {
    expect(pointerToLine('{"a":{"b":1}}', "/a/b")).toBe(1);
    const broken = '{\n  "a": 1,\n  "b": {\n    "c": 2,\n    "d": oops';
    expect(pointerToLine(broken, "/b/c")).toBe(4);
    expect(pointerToLine(broken, "/b/zzz")).toBe(3);
  });

  it("returns null for something that is not a pointer", () => {
    expect(pointerToLine(text, "a/b")).toBeNull();
  });
});
