import { expect, test, type Page } from "@playwright/test";
import { openLogin, row, shot, signIn } from "./support";

/**
 * Collects every Content-Security-Policy violation the page reports: the DOM's
 * securitypolicyviolation event (listened to from an init script, which CSP does not govern) and
 * Chromium's console message for it, in case an event fires before the listener exists.
 */
async function watchCspViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction("__reportCspViolation", (violation: string) => violations.push(violation));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const where = `${event.sourceFile || location.pathname}:${event.lineNumber}`;
      const report = (window as unknown as { __reportCspViolation(v: string): void }).__reportCspViolation;
      report(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${where}: ${event.sample}`);
    });
  });
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(`console ${message.type()}: ${message.text()}`);
  });
  return violations;
}

/** A page that renders its policy and runs under it. */
async function expectPolicyOn(page: Page, path: string) {
  const response = await page.goto(path);
  const policy = response?.headers()["content-security-policy"] ?? "";
  expect(policy, `CSP on ${path}`).toMatch(/script-src 'nonce-[\w+/=-]+' 'strict-dynamic'/);
  expect(policy).not.toContain("unsafe-eval");
}

test("the dashboard works under its Content-Security-Policy without a single violation", async ({ page, request }, info) => {
  const violations = await watchCspViolations(page);

  await expectPolicyOn(page, "/login");
  await page.waitForLoadState("load");
  expect(violations, "while /login loads").toEqual([]);
  await openLogin(page); // hydrated: React's scripts ran under the policy
  await shot(page, info, "40-csp-login");
  expect(violations, "on /login").toEqual([]);

  await signIn(page);
  await page.getByRole("button", { name: "New token" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Description").fill("CSP check");
  await dialog.getByLabel("Only these endpoints").check();
  await shot(page, info, "41-csp-new-token-dialog");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  expect(violations, "on /tokens with the New token dialog").toEqual([]);

  // A token's page draws its usage chart with recharts: SVG from React, no eval, no inline script.
  await page.getByRole("button", { name: "New token" }).click();
  await dialog.getByLabel("Description").fill("CSP chart");
  await dialog.getByRole("button", { name: "Create" }).click();
  const chartToken = await dialog.getByLabel("Your new token").inputValue();
  await dialog.getByRole("button", { name: "Done" }).click();
  await row(page, "CSP chart").getByRole("link", { name: /CSP chart/ }).click();
  await expect(page.getByRole("heading", { name: "Usage" })).toBeVisible();
  await expect(page.locator(".recharts-surface")).toBeVisible();
  await shot(page, info, "43-csp-token-page");
  expect(violations, "on a token's page with its chart").toEqual([]);
  // Revoked again (by itself): later specs expect an administrator with no tokens in force.
  expect((await request.delete("/v1alpha/token/self", { headers: { Authorization: `Bearer ${chartToken}` } })).status()).toBe(200);

  await expectPolicyOn(page, "/activity");
  await expect(page.getByRole("heading", { name: "Activity" })).toBeVisible();
  await expect(page.getByRole("row").nth(1)).toBeVisible();
  expect(violations, "on /activity").toEqual([]);

  await expectPolicyOn(page, "/webhooks");
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  expect(violations, "on /webhooks").toEqual([]);

  await expectPolicyOn(page, "/users");
  await expect(page.getByRole("button", { name: "New user" })).toBeVisible();
  await page.getByRole("button", { name: "New user" }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await shot(page, info, "42-csp-users");
  await page.keyboard.press("Escape");
  expect(violations, "on /users").toEqual([]);

  // The policy is enforced, not just sent: markup injected with an inline handler does not run,
  // and the watcher sees the violation (so the empty lists above mean something).
  const inlineHandlerRan = await page.evaluate(() => {
    document.body.insertAdjacentHTML("beforeend", `<button id="csp-probe" onclick="window.__inlineRan = true"></button>`);
    document.getElementById("csp-probe")!.click();
    return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
  });
  expect(inlineHandlerRan).toBe(false);
  await expect.poll(() => violations.some((v) => v.includes("script-src"))).toBe(true);
});
