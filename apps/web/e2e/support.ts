import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";

export const ADMIN = { username: "admin", password: "e2e-admin-password" };

/** The two screens every new check runs on: a laptop and a small phone. */
export const VIEWPORTS = {
  wide: { width: 1280, height: 800 },
  narrow: { width: 375, height: 740 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

/** Saves a numbered screenshot of the current step in this test's output folder. */
export async function shot(page: Page, info: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: info.outputPath(`${name}.png`), fullPage: true });
}

/** The sign-in page, once React has hydrated it (typing earlier would be lost). */
export async function openLogin(page: Page): Promise<void> {
  // A dashboard page whose session just ended navigates by itself (to /login), which aborts a
  // navigation of ours started meanwhile (net::ERR_ABORTED, seen once in CI): go again.
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto("/login");
      break;
    } catch (error) {
      if (attempt === 3 || !String(error).includes("net::ERR_ABORTED")) throw error;
    }
  }
  await expect(page.locator("form[data-ready]")).toBeVisible();
}

export async function signInAs(page: Page, user: { username: string; password: string }): Promise<void> {
  await openLogin(page);
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/tokens$/);
  await expect(page.getByRole("heading", { name: "Tokens", exact: true })).toBeVisible();
  // Set by the client once it has hydrated the header: the page is interactive.
  await expect(page.locator("header[data-ready]")).toBeAttached();
}

export const signIn = (page: Page) => signInAs(page, ADMIN);

/** Creates a token through the dialog and returns the plaintext shown once; leaves the reveal open. */
export async function createToken(page: Page, description: string, life: { preset: string } | { custom: string }) {
  await page.getByRole("button", { name: "New token" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Description").fill(description);
  if ("preset" in life) {
    await dialog.getByLabel("Lifetime", { exact: true }).selectOption(life.preset);
  } else {
    await dialog.getByLabel("Lifetime", { exact: true }).selectOption("custom");
    await dialog.getByLabel("Custom lifetime").fill(life.custom);
  }
  await dialog.getByRole("button", { name: "Create" }).click();
  const field = dialog.getByLabel("Your new token");
  await expect(field).toBeVisible();
  return { dialog, token: await field.inputValue() };
}

/** A token in the list — a table row on wide screens, a card on narrow ones. */
export function row(page: Page, description: string) {
  return page.locator("[data-token-id]").filter({ has: page.getByText(description, { exact: true }) });
}

/** A user of a test's own (tRPC with the admin's Basic credentials: no session, no CSRF origin). */
export async function createUser(request: APIRequestContext, username: string, password = `${username}-password-1`) {
  const res = await request.post("/api/trpc/user.create", {
    headers: { Authorization: `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString("base64")}` },
    data: { username, password, isAdmin: false },
  });
  expect(res.status(), await res.text()).toBe(200);
  return { username, password };
}

export interface NewToken {
  description: string;
  life: string;
  endpoints?: string[];
}

/**
 * Creates tokens the way the dashboard does (tRPC with the page's session), ten to a batch (the
 * server's limit) and several batches at once: thousands take seconds.
 */
export async function createTokensFast(page: Page, tokens: NewToken[], concurrency = 8): Promise<{ id: string; token: string }[]> {
  return page.evaluate(
    async ({ tokens, concurrency }) => {
      const results: { id: string; token: string }[] = new Array(tokens.length);
      let next = 0;
      async function worker() {
        while (next < tokens.length) {
          const start = next;
          next += 10;
          const slice = tokens.slice(start, start + 10);
          const body = Object.fromEntries(slice.map((t, i) => [i, t]));
          const res = await fetch(`/api/trpc/${slice.map(() => "token.create").join(",")}?batch=1`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
          });
          if (!res.ok) throw new Error(`token.create: ${res.status} ${await res.text()}`);
          const answers = (await res.json()) as { result: { data: { id: string; token: string } } }[];
          answers.forEach((a, i) => (results[start + i] = { id: a.result.data.id, token: a.result.data.token }));
        }
      }
      await Promise.all(Array.from({ length: concurrency }, worker));
      return results;
    },
    { tokens, concurrency },
  );
}

/** axe on the page as it is now (an open dialog included): no violations, at any screen size. */
export async function expectAccessible(page: Page, info: TestInfo, what: string): Promise<void> {
  let results = await analyzeAtRest(page);
  // axe takes a second or more; a toast that starts to leave meanwhile is measured mid-fade. A
  // real violation holds in a second analysis; one that moved with the page does not.
  if (results.violations.length) results = await analyzeAtRest(page);
  const summary = results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  if (summary.length) await info.attach(`axe ${what}`, { body: JSON.stringify(results.violations, null, 2), contentType: "application/json" });
  // The rule ids go into the message itself: CI's summary shows a failure's first line only.
  expect(summary, `axe on ${what}: ${summary.join("; ")}`).toEqual([]);
}

/**
 * axe judges colours as painted: halfway through a fade or a hover transition (a toast leaving,
 * a button under the pointer) text can measure below its real contrast. Wait two frames (a
 * transition starts at the next style update, e.g. after a colour-scheme change), then for finite
 * animations to end; endless ones (the loading pulse) carry no text.
 */
async function analyzeAtRest(page: Page) {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  await page.waitForFunction(() =>
    document.getAnimations().every((a) => a.playState !== "running" || a.effect?.getTiming().iterations === Infinity),
  );
  return new AxeBuilder({ page }).analyze();
}

/** axe and no sideways overflow at a laptop's and a phone's width, and in dark mode; ends wide and light. */
export async function expectAccessibleEverywhere(page: Page, info: TestInfo, what: string): Promise<void> {
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(viewport);
    await expectAccessible(page, info, `${what} (${name})`);
    await expectNoPageOverflow(page, `${what} (${name})`);
  }
  await page.emulateMedia({ colorScheme: "dark" });
  await expectAccessible(page, info, `${what} (dark)`);
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize(VIEWPORTS.wide);
}

/** Nothing is wider than the screen: no sideways scrolling of the page itself. */
export async function expectNoPageOverflow(page: Page, what: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, `page width on ${what}`).toBeLessThanOrEqual(innerWidth);
}

/** The header's account menu (wide screens) or the phone menu: where sign-out and the theme are. */
export async function openAccountMenu(page: Page): Promise<void> {
  const menu = page.getByRole("button", { name: "Menu", exact: true });
  if (await menu.isVisible()) await menu.click();
  else await page.getByRole("button", { name: /^Account: / }).click();
}

const CLI = fileURLToPath(new URL("../../cli/dist/cli.js", import.meta.url));

/** The admin CLI on the e2e server's own database, as an operator on its host runs it. */
export function tokensmithCli(args: string[], input = ""): { code: number | null; out: string; err: string } {
  const { databaseUrl } = JSON.parse(fs.readFileSync(process.env.E2E_SERVER_STATE!, "utf8")) as { databaseUrl: string };
  const run = spawnSync(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? "", DATABASE_URL: databaseUrl }, input, encoding: "utf8", timeout: 30_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

/** An admin's Basic credentials, for API calls that set up a test (users, tokens of others). */
export const adminAuth = { Authorization: `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString("base64")}` };

/** Creates a token for `user` over REST (Basic), and returns its id and JWT. */
export async function createTokenAs(request: APIRequestContext, user: { username: string; password: string }, description: string, life = "1 day") {
  const res = await request.post("/v1alpha/token/", {
    headers: { Authorization: `Basic ${Buffer.from(`${user.username}:${user.password}`).toString("base64")}` },
    data: { jwt_token_description: description, jwt_token_life: life },
  });
  expect(res.status(), await res.text()).toBe(201);
  const body = (await res.json()) as { jwt_token_id: string; jwt_token: string };
  return { id: body.jwt_token_id, token: body.jwt_token };
}

/** Every element matching `selector` lies on one line and inside the screen's width. */
export async function expectOneLineInView(page: Page, selector: string, what: string): Promise<void> {
  const boxes = await page.locator(selector).evaluateAll((els) =>
    els
      .filter((el) => (el as HTMLElement).offsetParent !== null)
      .map((el) => {
        const rect = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
        return { text: (el as HTMLElement).innerText.trim(), left: rect.left, right: rect.right, lines: Math.round((rect.height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)) / line) };
      }),
  );
  const width = page.viewportSize()!.width;
  for (const box of boxes) {
    expect(box.lines, `${what}: "${box.text}" wraps`).toBeLessThanOrEqual(1);
    expect(box.left, `${what}: "${box.text}" starts off screen`).toBeGreaterThanOrEqual(0);
    expect(box.right, `${what}: "${box.text}" ends off screen`).toBeLessThanOrEqual(width + 0.5);
  }
}
