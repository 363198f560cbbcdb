import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FEED_KEY, Tokensmith, fetchJson, sleep, waitFor, type IssuedToken } from "./support/tokensmith.js";

/**
 * A verifier whose clock is two minutes behind Tokensmith's, for real: the built package in a
 * process of its own under libfaketime (scripts/lib.sh installs it). It used to compare each
 * revocation's `at` (set by Tokensmith's clock) with its own, and so kept accepting a revoked
 * token for two minutes. It now judges by Tokensmith's clock, read from the feed's heartbeats.
 */
const BEHIND_SECONDS = 120;
const APP = fileURLToPath(new URL("./fixtures/verifier-app.mjs", import.meta.url));
let tokensmith: Tokensmith;
let app: { url: string; child: ChildProcess };

beforeAll(async () => {
  tokensmith = await Tokensmith.start();
  const child = spawn("faketime", ["-f", `-${BEHIND_SECONDS}s`, process.execPath, APP], {
    // Only the wall clock is set back: timers and performance.now() run as they should.
    env: { PATH: process.env.PATH ?? "", FAKETIME_DONT_FAKE_MONOTONIC: "1", ISSUER: tokensmith.url, FEED_KEY },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the skewed verifier did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`the skewed verifier exited with ${code}:\n${output}`)));
  });
  app = { url, child };
});
afterAll(async () => {
  app?.child.kill("SIGKILL");
  await tokensmith?.stop();
  await tokensmith?.database.drop();
});

const verify = async (token: IssuedToken): Promise<number> => (await fetchJson(`${app.url}/verify`, "GET", `Bearer ${token.jwt_token}`)).body.status;

describe("a verifier whose clock is behind", () => {
  it("knows how far behind it is, and refuses a revoked token at once", async () => {
    const status = (await fetchJson(`${app.url}/status`)).body;
    expect(Date.now() - status.now).toBeGreaterThan((BEHIND_SECONDS - 5) * 1000);
    expect(status.clockSkew).toBeGreaterThan((BEHIND_SECONDS - 5) * 1000);
    expect(status.clockSkew).toBeLessThan((BEHIND_SECONDS + 5) * 1000);

    const token = await tokensmith.createToken();
    expect(await verify(token)).toBe(200);
    await tokensmith.revoke(token.jwt_token_id);
    const refusedIn = await waitFor("the skewed verifier refuses the revoked token", async () => (await verify(token)) === 401, 5_000, 10);
    console.log(`a verifier ${BEHIND_SECONDS} s behind refused a revoked token ${refusedIn.toFixed(0)} ms after the revoke was answered`);
  });

  it("ends a rotation's overlap when Tokensmith's clock says so", async () => {
    const old = await tokensmith.createToken();
    const rotated = await tokensmith.rotateToken(old.jwt_token_id, "2 seconds");
    const endsAt = new Date(rotated.old_token_expires_at).getTime();
    expect(await verify(old)).toBe(200);
    await sleep(Math.max(0, endsAt - Date.now()));
    await waitFor("the overlap ends", async () => (await verify(old)) === 401, 1_000, 10);
    console.log(`overlap ended on a verifier ${BEHIND_SECONDS} s behind: refused ${Date.now() - endsAt} ms after its end`);
    expect(await verify(rotated)).toBe(200);
  });
});
