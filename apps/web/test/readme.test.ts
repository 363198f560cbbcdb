import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const file = (relative: string) => fs.readFileSync(path.join(ROOT, relative), "utf8");

// The nginx configurations the tests run (forward-auth.test.ts, instances.postgres.test.ts) are
// shown in the docs byte for byte, so what a reader copies is what was tested.
describe("the docs show the nginx configurations the tests run", () => {
  it("Several instances embeds deploy/nginx/instances.conf verbatim", () => {
    expect(file("docs/guides/several-instances.md")).toContain(file("deploy/nginx/instances.conf").trimEnd());
  });

  it("Protect your API embeds deploy/nginx/forward-auth.conf verbatim", () => {
    expect(file("docs/guides/protect-your-api.md")).toContain(file("deploy/nginx/forward-auth.conf").trimEnd());
  });

  it("the README's quick start embeds deploy/nginx/forward-auth.conf verbatim", () => {
    expect(file("README.md")).toContain(file("deploy/nginx/forward-auth.conf").trimEnd());
  });

  it("DPoP-bound tokens embeds deploy/caddy/Caddyfile verbatim", () => {
    expect(file("docs/guides/dpop.md")).toContain(file("deploy/caddy/Caddyfile").trimEnd());
  });

  it.each(["deploy/caddy/Caddyfile", "deploy/traefik/forward-auth.yml"])("Protect your API embeds %s verbatim", (relative) => {
    expect(file("docs/guides/protect-your-api.md")).toContain(file(relative).trimEnd());
  });
});
