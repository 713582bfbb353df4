/**
 * Search tokens for the public registry. Thai is written without spaces between words, so words come from
 * the ICU dictionary segmenter (`Intl.Segmenter`, available in Node and every current browser); the same
 * function tokenizes the indexed text and the query, so both sides always split alike.
 */

// Thai letters, vowels and tone marks. Leaves out ฯ (abbreviation), ๆ (repetition), ฿ and the Thai
// punctuation signs, so "กรุงเทพฯ" and "กรุงเทพ" give the same token.
const THAI_LETTER = "\\u0E01-\\u0E2E\\u0E30-\\u0E3A\\u0E40-\\u0E45\\u0E47-\\u0E4E";
/** A run of Thai letters, or a run of other letters/digits (Latin, numbers): "ร้าน7" → "ร้าน", "7". */
// eslint-disable-next-line no-misleading-character-class -- Thai vowels and tone marks are meant as ranges of single code points
const WORD_RUN = new RegExp(`[${THAI_LETTER}]+|(?:(?![\\u0E00-\\u0E7F])[\\p{L}\\p{M}\\p{N}])+`, "gu");
/** Segments needing no further split (the common case, tested first because matchAll is slower). */
// eslint-disable-next-line no-misleading-character-class -- as above
const PLAIN_THAI = new RegExp(`^[${THAI_LETTER}]+$`);
const PLAIN_LATIN = /^[a-z0-9]+$/;
const ASCII = /^\p{ASCII}*$/u;
/** What normaliseForSearch rewrites besides case; most text has none, and then one test replaces four passes. */
const RARE_CHARACTERS = /[\u0E4D\u0E50-\u0E59\u200B-\u200D\u2060\uFEFF\u00AD]/;

let segmenter: Intl.Segmenter | undefined;

// Words are split per whitespace-separated chunk (ICU never joins across a space), and chunks repeat a
// lot (ตำบล…, อำเภอ…, activity names, common first names), so each chunk's tokens are remembered:
// segmenting is ~0.5 µs per segment, which made tokenizing a million permits take half a minute.
const CHUNK_CACHE_LIMIT = 50_000;
const chunkCache = new Map<string, readonly string[]>();

/**
 * The form both the index and the query are compared in: NFC, lower case, Thai digits as 0-9, the
 * sara am typed as nikhahit + sara aa folded into ำ, zero-width spaces (Thai word separators) as spaces.
 */
export function normaliseForSearch(text: string): string {
  const nfc = text.normalize("NFC");
  if (!RARE_CHARACTERS.test(nfc)) return nfc.toLowerCase();
  return nfc
    .replace(/\u0E4D\u0E32/g, "\u0E33")
    .replace(/[\u0E50-\u0E59]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0x0e50 + 48))
    .replace(/\u200B/g, " ")
    .replace(/\u00AD|\u200C|\u200D|\u2060|\uFEFF/g, "")
    .toLowerCase();
}

function chunkTokens(chunk: string): readonly string[] {
  if (PLAIN_LATIN.test(chunk)) return [chunk];
  // Plain ASCII needs no dictionary: the segmenter would split it on the same non-alphanumerics.
  if (ASCII.test(chunk)) return chunk.split(/[^a-z0-9]+/).filter(Boolean);
  const cached = chunkCache.get(chunk);
  if (cached) return cached;
  const tokens: string[] = [];
  segmenter ??= new Intl.Segmenter("th", { granularity: "word" });
  for (const { segment, isWordLike } of segmenter.segment(chunk)) {
    if (!isWordLike) continue;
    if (PLAIN_THAI.test(segment) || PLAIN_LATIN.test(segment)) tokens.push(segment);
    else for (const match of segment.matchAll(WORD_RUN)) tokens.push(match[0]);
  }
  if (chunkCache.size >= CHUNK_CACHE_LIMIT) chunkCache.clear();
  chunkCache.set(chunk, tokens);
  return tokens;
}

/** Word tokens of `text`, in order, duplicates kept: "SKJ-HH-2569-00012" → skj, hh, 2569, 00012. */
export function searchTokens(text: string): string[] {
  const tokens: string[] = [];
  if (!text) return tokens;
  for (const chunk of normaliseForSearch(text).split(/\s+/)) {
    if (chunk) for (const token of chunkTokens(chunk)) tokens.push(token);
  }
  return tokens;
}
