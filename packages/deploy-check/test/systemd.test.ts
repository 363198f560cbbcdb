import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/podman.js";

// deploy/systemd/tokensmith.service, checked offline by systemd's own tools (no systemd runs as
// PID 1 on these machines, so the unit is verified, not started).
const UNIT = path.join(ROOT, "deploy/systemd/tokensmith.service");
const text = fs.readFileSync(UNIT, "utf8");
const settings = new Map<string, string[]>();
for (const line of text.split("\n")) {
  const match = /^([A-Za-z]+)=(.*)$/.exec(line);
  if (match) settings.set(match[1]!, [...(settings.get(match[1]!) ?? []), match[2]!]);
}
const setting = (name: string) => settings.get(name)?.at(-1);

function analyze(args: string[]) {
  if (spawnSync("sh", ["-c", "command -v systemd-analyze"]).status !== 0) {
    throw new Error("systemd-analyze is missing: scripts/test.sh installs it (Debian: apt-get install systemd)");
  }
  // A copy in a folder of its own: verify loads every unit in the unit's folder.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-unit-"));
  try {
    fs.copyFileSync(UNIT, path.join(dir, "tokensmith.service"));
    return spawnSync("systemd-analyze", [...args, path.join(dir, "tokensmith.service")], { encoding: "utf8", timeout: 60_000 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("the systemd unit", () => {
  it("passes systemd-analyze verify without a single warning", () => {
    const verified = analyze(["verify", "--man=no"]);
    expect(verified.stderr + verified.stdout).toBe("");
    expect(verified.status).toBe(0);
  });

  it("is hardened: systemd-analyze security rates its exposure OK or better", () => {
    const rated = analyze(["security", "--offline=yes", "--no-pager"]);
    const level = /Overall exposure level for tokensmith\.service: ([\d.]+) (\S+)/.exec(rated.stdout);
    expect(level, rated.stdout + rated.stderr).not.toBeNull();
    expect(Number(level![1])).toBeLessThanOrEqual(2);
    for (const [name, value] of Object.entries({ DynamicUser: "yes", NoNewPrivileges: "yes", ProtectSystem: "strict", ProtectHome: "yes", PrivateTmp: "yes", CapabilityBoundingSet: "" })) {
      expect(setting(name), name).toBe(value);
    }
  });

  it("runs the server as `pnpm start` does, on its state directory, and stops as the server does", () => {
    expect(setting("ExecStart")).toBe("/usr/bin/bash /opt/tokensmith/scripts/start.sh");
    expect(setting("WorkingDirectory")).toBe("/opt/tokensmith");
    // The database (and tokensmith.secret beside it) in the one writable place, StateDirectory.
    expect(setting("Environment")).toContain(`DATABASE_URL=file:/var/lib/${setting("StateDirectory")}/tokensmith.db`);
    // The secret comes from a file systemd reads as root; optional ("-") for SQLite.
    expect(setting("EnvironmentFile")).toBe("-/etc/tokensmith/tokensmith.env");
    // Longer than the server's own drain (SHUTDOWN_TIMEOUT, 25 s by default), so it is never killed mid-drain.
    expect(Number(setting("TimeoutStopSec"))).toBeGreaterThan(25);
    expect(setting("KillSignal")).toBe("SIGTERM");
    // A configuration error exits 2 (apps/web/test/startup-errors.test.ts): no restart loop on it.
    expect(setting("RestartPreventExitStatus")).toBe("2");
    expect(fs.existsSync(path.join(ROOT, "scripts/start.sh"))).toBe(true);
  });
});
