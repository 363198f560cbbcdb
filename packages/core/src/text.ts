/**
 * What no text a caller sends may hold: one rule for every field that is stored, searched or shown
 * (descriptions, searches, filters, usernames, webhook URLs). Refused:
 * - control characters: C0 (U+0000–U+001F, NUL among them, which PostgreSQL refuses outright), DEL,
 *   and C1 (U+0080–U+009F: a terminal obeys U+009B as the start of an escape sequence, as it does ESC);
 * - the line and paragraph separators U+2028 and U+2029: these fields are one line;
 * - the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which
 *   reorder what follows them on screen, so that one text reads as another (right-to-left scripts
 *   need none of them);
 * - unpaired UTF-16 surrogates (lone halves of a pair, which JSON can carry): not text at all.
 * Zero-width joiners and non-joiners stay: emoji sequences and several scripts are written with them.
 */
const UNSAFE_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]/u;
const UNSAFE_CHARACTERS = new RegExp(UNSAFE_CHARACTER.source, "gu");

export const UNSAFE_TEXT_MESSAGE = "must not contain control characters, line separators or bidirectional overrides";

export function isSafeText(text: string): boolean {
  return !UNSAFE_CHARACTER.test(text);
}

/**
 * Text as it may be shown on a terminal: each character the rule above refuses is written as an
 * escape (`\x1b`, `\u202e`), so stored text of any age cannot move the cursor, recolour, retitle
 * or reorder what an administrator reads. Newlines too, unless `keepNewlines` (a whole report).
 */
export function escapeUnsafeText(text: string, { keepNewlines = false }: { keepNewlines?: boolean } = {}): string {
  return text.replace(UNSAFE_CHARACTERS, (char) => {
    if (keepNewlines && char === "\n") return char;
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
