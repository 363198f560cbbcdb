import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/podman.js";

// What keeps the Containerfile in step with the repository, checked in milliseconds (a mistake
// here would otherwise show as a failed build minutes into image.test.ts, or not at all).
const read = (relative: string) => fs.readFileSync(path.join(ROOT, relative), "utf8");
const containerfile = read("Containerfile");
const workspaceDirs = ["apps", "packages"].flatMap((top) =>
  fs
    .readdirSync(path.join(ROOT, top))
    .filter((name) => fs.existsSync(path.join(ROOT, top, name, "package.json")))
    .map((name) => `${top}/${name}`),
);
const manifest = (dir: string) => JSON.parse(read(`${dir}/package.json`)) as { name: string; dependencies?: Record<string, string> };
const dirOf = new Map(workspaceDirs.map((dir) => [manifest(dir).name, dir]));

describe("the Containerfile", () => {
  it("installs the pnpm version the repository pins", () => {
    const pinned = /^pnpm@(.+)$/.exec(JSON.parse(read("package.json")).packageManager)?.[1];
    expect(containerfile).toContain(`pnpm@${pinned}`);
    expect(read("scripts/lib.sh")).toContain(`PNPM_VERSION=${pinned}`);
  });

  it("copies every workspace package's manifest before installing (a frozen install needs them all)", () => {
    const copied = [...containerfile.matchAll(/^COPY (\S+)\/package\.json \1\/$/gm)].map((match) => match[1]).sort();
    expect(copied).toEqual([...workspaceDirs].sort());
  });

  it("puts in the image every workspace package the server and the CLI load at run time, and no other", () => {
    // The production dependencies' closure within the workspace, from apps/web and apps/cli.
    const needed = new Set<string>();
    const visit = (dir: string) => {
      if (needed.has(dir)) return;
      needed.add(dir);
      for (const [name, version] of Object.entries(manifest(dir).dependencies ?? {})) {
        if (version.startsWith("workspace:")) visit(dirOf.get(name)!);
      }
    };
    visit("apps/web");
    visit("apps/cli");
    const script = read("deploy/container/runtime-files.sh");
    const listed = /for dir in ([^;]+); do/.exec(script)![1]!.trim().split(/\s+/);
    expect([...listed].sort()).toEqual([...needed].sort());
  });

  it("starts from the public Node 20 image unless a build argument says otherwise", () => {
    expect(containerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(containerfile.match(/^FROM .*$/gm)).toEqual(["FROM ${NODE_IMAGE} AS build", "FROM ${NODE_IMAGE}"]);
    expect(JSON.parse(read("package.json")).engines.node).toMatch(/^>=20\./);
  });

  it("keeps the build secret and the compose secrets out of the build context", () => {
    const ignored = read(".dockerignore").split("\n");
    for (const entry of ["**/.env", "**/*.secret", "deploy/compose/secrets", "**/node_modules", ".git", "data"]) expect(ignored).toContain(entry);
    // The CA bundle is only ever a secret mount, never copied or named in an ENV.
    expect(containerfile).not.toMatch(/^(COPY|ADD|ENV).*(ca-certificates|CA_CERTS)/m);
  });
});
