import { expect, test } from "@playwright/test";
import { adminAuth, createUser, expectAccessible, expectNoPageOverflow, expectOneLineInView, shot, signIn } from "./support";

const WIDTHS = [1280, 1024, 768, 375] as const;

/**
 * Nothing in the header wraps or leaves the screen at laptop, small-laptop, tablet and phone
 * widths; on a phone the Users, Webhooks and Signing keys pages show every value and every action
 * without sideways scrolling.
 */
test("the header and the admin pages at 1280, 1024, 768 and 375 px: nothing wraps, nothing is hidden", async ({ page, request }, info) => {
  // Sixteen pages at four widths, and axe on three of them.
  test.setTimeout(240_000);
  await createUser(request, "layout-with-a-rather-long-name@example.com");
  const hook = await request.post("/v1alpha/webhooks/", { headers: adminAuth, data: { url: "http://127.0.0.1:9/layout-hook-with-a-long-path/that-goes-on", events: ["token.created"] } });
  expect(hook.status()).toBe(201);
  await signIn(page);
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto("/tokens");
    await expect(page.locator("header[data-ready]")).toBeAttached();
    const menu = page.getByRole("button", { name: "Menu", exact: true });
    if (width >= 1024) {
      await expect(menu).toBeHidden();
      await expectOneLineInView(page, "header nav a, header button, header a", `header at ${width}`);
      await page.getByRole("button", { name: /^Account: / }).click();
      await expect(page.getByRole("button", { name: "Sign out" })).toBeInViewport();
      await expectOneLineInView(page, "#account-menu button, #account-menu select", `account menu at ${width}`);
      await page.keyboard.press("Escape");
    } else {
      await expect(menu).toBeVisible();
      await expectOneLineInView(page, "header > div > a, header button", `header at ${width}`);
      await menu.click();
      await expectOneLineInView(page, "#main-menu a, #main-menu button", `menu at ${width}`);
      await expect(page.getByRole("button", { name: "Sign out" })).toBeInViewport();
      await menu.or(page.getByRole("button", { name: "Close menu" })).click();
    }
    await shot(page, info, `170-header-${width}`);
    for (const path of ["/tokens", "/users", "/service-accounts", "/policies", "/webhooks", "/keys"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expect(page.getByRole("status").filter({ hasText: /Loading/ })).toHaveCount(0);
      await expectNoPageOverflow(page, `${path} at ${width}`);
      // Every action on the page is on screen, on one line.
      await expectOneLineInView(page, "main button", `${path} at ${width}`);
    }
    await page.goto("/users");
    await expect(page.getByRole("button", { name: "Delete layout-with-a-rather-long-name@example.com" })).toBeVisible();
    if (width === 375) {
      await shot(page, info, "171-users-375");
      await expectAccessible(page, info, "/users at 375");
      await page.goto("/webhooks");
      await page.getByRole("button", { name: /^Deliveries of/ }).click();
      await expectNoPageOverflow(page, "/webhooks deliveries at 375");
      await shot(page, info, "172-webhooks-375");
      await expectAccessible(page, info, "/webhooks at 375");
      await page.goto("/keys");
      await shot(page, info, "173-keys-375");
      await expectAccessible(page, info, "/keys at 375");
    }
  }
});
