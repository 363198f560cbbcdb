/**
 * Glob matching where `*` matches any run of characters (slashes too) and every other character
 * matches itself, in time linear in |glob| + |text| whatever either holds.
 *
 * Why it is linear: the glob is split on `*` into literal segments. The first segment must be a
 * prefix of the text and the last a suffix (when there is a `*`); the middle ones are searched
 * left to right, each search starting where the previous match ended. Taking the leftmost match
 * is never wrong for `*`-only globs (it leaves the most text for what follows), so nothing is
 * ever retried. Each search is Knuth–Morris–Pratt, worst-case linear in the text it scans, and
 * the searches scan disjoint stretches of the text. Failure tables are built once per glob, in
 * time linear in the glob, and kept in a bounded cache. No RegExp is built from the glob, and
 * `String.prototype.indexOf` is not relied on (its worst case is not specified).
 */

/** Texts longer than this never match: a request path is at most 8 KiB (nginx's default buffer). */
export const MAX_PATH_LENGTH = 8192;

/** Counts the matcher's inner-loop steps, so tests can assert the work is linear. */
export interface MatchStats {
  steps: number;
}

interface CompiledGlob {
  /** The literal text between wildcards; exactly one segment when the glob has no `*`. */
  readonly segments: readonly string[];
  /** KMP failure table of each middle segment (same index as `segments`; ends unused). */
  readonly failures: readonly Int32Array[];
}

/** Enough for every pattern of many tokens at once; a miss only costs a linear rebuild. */
const MAX_CACHED_GLOBS = 2_000;
const cache = new Map<string, CompiledGlob>();

/** Steps of the call in progress; module-level so the hot loops need no extra argument. */
let steps = 0;

export function globMatches(glob: string, text: string, stats?: MatchStats): boolean {
  steps = 0;
  const matched = text.length <= MAX_PATH_LENGTH && matchCompiled(compile(glob), text);
  if (stats) stats.steps += steps;
  return matched;
}

function compile(glob: string): CompiledGlob {
  const cached = cache.get(glob);
  if (cached) return cached;
  // Empty middle segments come from `**`, which means the same as `*`: drop them.
  const parts = glob.split("*");
  const segments = parts.filter((part, i) => part !== "" || i === 0 || i === parts.length - 1);
  steps += glob.length;
  const failures = segments.map((segment, i) => (i === 0 || i === segments.length - 1 ? new Int32Array(0) : failureTable(segment)));
  const compiled = { segments, failures };
  if (cache.size >= MAX_CACHED_GLOBS) cache.delete(cache.keys().next().value as string);
  cache.set(glob, compiled);
  return compiled;
}

function matchCompiled({ segments, failures }: CompiledGlob, text: string): boolean {
  const first = segments[0] ?? "";
  if (segments.length === 1) return text.length === first.length && regionEquals(text, 0, first);
  const last = segments[segments.length - 1] ?? "";
  // Prefix and suffix must not overlap: each character is matched by one part of the glob.
  if (text.length < first.length + last.length) return false;
  if (!regionEquals(text, 0, first) || !regionEquals(text, text.length - last.length, last)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < segments.length - 1; i++) {
    at = searchFrom(text, at, end, segments[i] ?? "", failures[i] ?? new Int32Array(0));
    if (at < 0) return false;
  }
  return true;
}

function regionEquals(text: string, from: number, literal: string): boolean {
  for (let i = 0; i < literal.length; i++) {
    steps++;
    if (text.charCodeAt(from + i) !== literal.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * failure[i]: length of the longest proper prefix of `segment` that is also a suffix of
 * segment[0..i]. Amortised linear: `known` rises at most once per character and every
 * fall-back lowers it.
 */
function failureTable(segment: string): Int32Array {
  const failure = new Int32Array(segment.length);
  let known = 0;
  for (let i = 1; i < segment.length; i++) {
    steps++;
    while (known > 0 && segment.charCodeAt(i) !== segment.charCodeAt(known)) {
      steps++;
      known = failure[known - 1] ?? 0;
    }
    if (segment.charCodeAt(i) === segment.charCodeAt(known)) known++;
    failure[i] = known;
  }
  return failure;
}

/**
 * Leftmost occurrence of `segment` in text[from..end), returning the index just after it, or -1.
 * KMP: each text character is read once; fall-backs are bounded by the characters read.
 */
function searchFrom(text: string, from: number, end: number, segment: string, failure: Int32Array): number {
  let matched = 0;
  for (let i = from; i < end; i++) {
    steps++;
    const char = text.charCodeAt(i);
    while (matched > 0 && char !== segment.charCodeAt(matched)) {
      steps++;
      matched = failure[matched - 1] ?? 0;
    }
    if (char === segment.charCodeAt(matched)) matched++;
    if (matched === segment.length) return i + 1;
  }
  return -1;
}
