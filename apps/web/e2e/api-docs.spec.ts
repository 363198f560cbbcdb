import { expect, test } from "@playwright/test";
import { signIn } from "./support";

/**
 * /docs renders the served OpenAPI document with Scalar, every byte from Tokensmith itself: no
 * request leaves the origin, nothing is blocked by the page's policy, and "Test request" reaches
 * the real API.
 */
test("the API reference renders the document from this server only, and its test request reaches the API", async ({ page, baseURL }, info) => {
  const origin = new URL(baseURL!).origin;
  const requested: string[] = [];
  const problems: string[] = [];
  page.on("request", (request) => requested.push(request.url()));
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => console.error(`CSP blocked ${event.blockedURI} (${event.violatedDirective})`));
  });

  await page.goto("/docs");
  await expect(page.getByRole("heading", { name: "Tokensmith API", exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Create a token" })).toBeVisible();
  await expect(page.getByText("jwt_token_description").first()).toBeVisible();
  await page.screenshot({ path: info.outputPath("60-api-reference.png") });

  // Open the listing operation's request client, fill in Basic credentials, send it.
  await page.getByRole("link", { name: "List the caller's tokens" }).first().click();
  const operation = page.locator("section", { has: page.getByRole("heading", { name: "List the caller's tokens" }) }).first();
  await operation.getByRole("button", { name: /Test Request/i }).click();
  const client = page.getByRole("dialog");
  await expect(client).toBeVisible();
  const sent = page.waitForResponse((response) => response.url() === `${origin}/v1alpha/token/` && response.request().method() === "GET");
  await client.getByRole("button", { name: /send/i }).first().click();
  // Without credentials the API says 401: the request went to this server, and the client shows it.
  expect((await sent).status()).toBe(401);
  await expect(client.getByText("Unauthorized").first()).toBeVisible();
  await page.screenshot({ path: info.outputPath("61-api-reference-client.png") });
  await page.keyboard.press("Escape");
  await expect(client).toBeHidden();

  // A write from this page: same origin and JSON, so it passes the cross-site and media-type checks
  // (403, 415) and reaches authentication.
  await page.getByRole("link", { name: "Create a token" }).first().click();
  const create = page.locator("section", { has: page.getByRole("heading", { name: "Create a token" }) }).first();
  await create.getByRole("button", { name: /Test Request/i }).click();
  await expect(client).toBeVisible();
  const posted = page.waitForResponse((response) => response.url() === `${origin}/v1alpha/token/` && response.request().method() === "POST");
  await client.getByRole("button", { name: /send/i }).first().click();
  const answer = await posted;
  expect(answer.status()).toBe(401);
  expect(await answer.request().headerValue("origin")).toBe(origin);
  expect(await answer.request().headerValue("content-type")).toMatch(/^application\/json/);

  const elsewhere = requested.filter((url) => !url.startsWith(origin) && !url.startsWith("data:") && !url.startsWith("blob:"));
  expect(elsewhere).toEqual([]);
  expect(requested).toContain(`${origin}/v1alpha/openapi.json`);
  // zod, inside Scalar, probes once whether eval is allowed (try { Function("") }) to pick a faster
  // path, and takes the plain one when the policy refuses: the page keeps eval off on purpose.
  const evalProbe = (problem: string) => problem === "console: CSP blocked eval (script-src)";
  expect(problems.filter((p) => !p.includes("401") && !evalProbe(p))).toEqual([]);
});

test("Test request works from another address than PUBLIC_URL, and every example is realistic", async ({ page, baseURL }, info) => {
  // The server's PUBLIC_URL is its listening address, 127.0.0.1; the page is opened as localhost.
  const other = new URL(baseURL!);
  other.hostname = "localhost";
  const blocked: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /CSP blocked/.test(message.text()) && !/eval/.test(message.text())) blocked.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => console.error(`CSP blocked ${event.blockedURI} (${event.violatedDirective})`));
  });
  await page.goto(`${other.origin}/docs`);
  await expect(page.getByRole("heading", { name: "Tokensmith API", exact: true })).toBeVisible();
  await page.getByRole("link", { name: "List the caller's tokens" }).first().click();
  const operation = page.locator("section", { has: page.getByRole("heading", { name: "List the caller's tokens" }) }).first();
  await operation.getByRole("button", { name: /Test Request/i }).click();
  const client = page.getByRole("dialog");
  await expect(client).toBeVisible();
  const sent = page.waitForResponse((response) => response.url() === `${other.origin}/v1alpha/token/` && response.request().method() === "GET");
  await client.getByRole("button", { name: /send/i }).first().click();
  expect((await sent).status()).toBe(401);
  await expect(client.getByText("Unauthorized").first()).toBeVisible();
  await page.screenshot({ path: info.outputPath("62-api-reference-other-address.png") });
  expect(blocked).toEqual([]);
  await page.keyboard.press("Escape");

  // The generated examples: none of a generator's placeholders, and the document's own values.
  await page.goto(`${other.origin}/docs`);
  await page.getByRole("link", { name: "Create a token" }).first().click();
  const create = page.locator("section", { has: page.getByRole("heading", { name: "Create a token" }) }).first();
  await expect(create.getByText("CI deploys (prod)").first()).toBeVisible();
  await page.screenshot({ path: info.outputPath("63-api-reference-examples.png") });
  const text = await page.evaluate(() => document.body.innerText);
  expect(text).toContain('"jwt_token_life": 2592000');
  expect(text).toContain('"jwt_token_rate_limit": {');
  expect(text).not.toContain("9007199254740991");
  expect(text).not.toMatch(/\[\s*""\s*\]/);
  expect(text).not.toContain('"string"');
});

test("the dashboard's header links to the API reference", async ({ page }) => {
  await signIn(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API reference" }).click();
  await expect(page).toHaveURL(/\/docs$/);
  // As page.goto does: the URL changes long before Scalar's 3 MB script has run, which took more
  // than the 10 s of an expect on a loaded machine.
  await page.waitForLoadState("load");
  await expect(page.getByRole("heading", { name: "Tokensmith API", exact: true })).toBeVisible({ timeout: 30_000 });
  // "Authentication Required" is whole: it ends before the auth-type picker beside it begins.
  const [indicatorEnd, pickerStart] = await page.getByTestId("auth-indicator").evaluate((el) => {
    const header = el.closest("button")!;
    return [el.getBoundingClientRect().right, header.nextElementSibling!.getBoundingClientRect().left];
  });
  expect(indicatorEnd).toBeLessThanOrEqual(pickerStart + 0.5);
  // And back: the reference links to the dashboard.
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "← Back to the dashboard" }).click();
  await expect(page).toHaveURL(/\/tokens$/);
});
