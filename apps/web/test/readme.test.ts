import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const file = (relative: string) => fs.readFileSync(fileURLToPath(new URL(`../../../${relative}`, import.meta.url)), "utf8");

describe("the README shows what the tests run", () => {
  it("embeds the nginx configuration for three instances verbatim", () => {
    expect(file("README.md")).toContain(file("deploy/nginx/instances.conf").trimEnd());
  });
});

describe("the README shows the forward-auth configuration the tests run", () => {
  it("embeds deploy/nginx/forward-auth.conf verbatim", () => {
    expect(file("README.md")).toContain(file("deploy/nginx/forward-auth.conf").trimEnd());
  });
});
