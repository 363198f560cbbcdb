import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const file = (relative: string) => fs.readFileSync(path.join(ROOT, relative), "utf8");
/** The README and every page under docs/ (the README is being split into docs/). */
const docs = () => {
  const pages = fs.existsSync(path.join(ROOT, "docs")) ? fs.readdirSync(path.join(ROOT, "docs"), { recursive: true, encoding: "utf8" }) : [];
  return [file("README.md"), ...pages.filter((page) => page.endsWith(".md")).map((page) => file(path.join("docs", page)))];
};
const shownVerbatim = (relative: string) => docs().some((text) => text.includes(file(relative).trimEnd()));

describe("the README shows what the tests run", () => {
  it("embeds the nginx configuration for three instances verbatim", () => {
    expect(file("README.md")).toContain(file("deploy/nginx/instances.conf").trimEnd());
  });
});

describe("the docs show the forward-auth configurations the tests run", () => {
  it.each(["deploy/nginx/forward-auth.conf", "deploy/caddy/Caddyfile", "deploy/traefik/forward-auth.yml"])("embed %s verbatim", (relative) => {
    expect(shownVerbatim(relative)).toBe(true);
  });
});
