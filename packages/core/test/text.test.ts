import { describe, expect, it } from "vitest";
import { escapeUnsafeText, isSafeText } from "../src/text.js";

describe("text a caller may send", () => {
  it.each(["Token alpha", "déploiement CI ✓", "😀 family: 👨\u200d👩\u200d👧", "עברית ועוד", "العربية", "tab-free, one line"])("accepts %j", (text) => {
    expect(isSafeText(text)).toBe(true);
  });

  it.each([
    ["NUL", "a\u0000b"],
    ["ESC", "a\u001b[2Jb"],
    ["DEL", "a\u007fb"],
    ["C1 NEL", "a\u0085b"],
    ["C1 CSI", "a\u009b2Jb"],
    ["line separator", "a\u2028b"],
    ["right-to-left override", "a\u202eb"],
    ["first-strong isolate", "a\u2068b"],
    ["lone surrogate", "a\ud83db"],
  ])("refuses %s", (_name, text) => {
    expect(isSafeText(text)).toBe(false);
  });
});

describe("text shown on a terminal", () => {
  it("writes what could drive a terminal as visible escapes, and leaves the rest alone", () => {
    expect(escapeUnsafeText("\u001b]0;owned\u0007\u009b2J\u202etxt.exe 😀")).toBe("\\x1b]0;owned\\x07\\x9b2J\\u202etxt.exe 😀");
    expect(escapeUnsafeText("one\ntwo")).toBe("one\\x0atwo");
    expect(escapeUnsafeText("one\ntwo\u001b", { keepNewlines: true })).toBe("one\ntwo\\x1b");
  });
});
