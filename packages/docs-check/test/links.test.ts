import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkLinks, describeProblem, REPOSITORY_ROOT } from "../src/check-links.mjs";

describe("the repository's Markdown", () => {
  it("has no relative link or anchor that does not resolve", async () => {
    const { files, problems } = await checkLinks(REPOSITORY_ROOT);
    // The check read the documentation itself, not an empty set.
    expect(files).toEqual(expect.arrayContaining(["README.md", "CHANGELOG.md", "docs/README.md", "packages/verify/README.md"]));
    expect(files.some((file) => file.includes("node_modules"))).toBe(false);
    expect(problems.map(describeProblem)).toEqual([]);
  });

  it("lists every page of docs/ in its index, docs/README.md", () => {
    const docs = path.join(REPOSITORY_ROOT, "docs");
    const index = fs.readFileSync(path.join(docs, "README.md"), "utf8");
    const linked = new Set([...index.matchAll(/\]\(([^)#\s]+\.md)(?:#[^)]*)?\)/g)].map((match) => path.normalize(match[1]!)));
    const pages = fs
      .readdirSync(docs, { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".md") && file !== "README.md");
    expect(pages.length).toBeGreaterThan(10);
    expect(pages.filter((page) => !linked.has(path.normalize(page)))).toEqual([]);
  });
});

describe("the link check itself", () => {
  it("reports a missing file, a missing heading here and a missing heading elsewhere, in every Markdown file, and nothing that resolves", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "docs-check-"));
    fs.mkdirSync(path.join(root, "guides"));
    // Drafts handed in by other branches are checked like every page: none is left out.
    fs.mkdirSync(path.join(root, "docs", "pending"), { recursive: true });
    fs.writeFileSync(path.join(root, "docs", "pending", "draft.md"), "# Draft\n\nSee [the guide](../../guides/tokens.md#rotate).\n");
    fs.writeFileSync(path.join(root, "deploy.conf"), "listen 80;\n");
    fs.writeFileSync(
      path.join(root, "README.md"),
      [
        "# Project",
        "",
        "## Quick start",
        "",
        "Good: [here](#quick-start), [a guide](guides/tokens.md), [its section](guides/tokens.md#create-a-token), [a file](deploy.conf), [a site](https://example.com/nowhere).",
        "",
        "Broken: [no file](guides/missing.md), [no heading](#quick-stop), [no heading there](guides/tokens.md#rotate).",
        "",
      ].join("\n"),
    );
    fs.writeFileSync(path.join(root, "guides", "tokens.md"), "# Tokens\n\n## Create a token\n\nBack to [the start](../README.md#quick-start).\n");
    const { files, problems } = await checkLinks(root);
    expect(files).toEqual(["README.md", "docs/pending/draft.md", "guides/tokens.md"]);
    expect(problems.map((problem) => `${problem.file}:${problem.line} ${problem.reason}`).sort()).toEqual([
      "README.md:7 Cannot find file `guides/missing.md`",
      "README.md:7 Cannot find heading for `#quick-stop`; did you mean `quick-start`",
      "README.md:7 Cannot find heading for `#rotate` in `guides/tokens.md`",
      "docs/pending/draft.md:3 Cannot find heading for `#rotate` in `../../guides/tokens.md`",
    ]);
  });
});
