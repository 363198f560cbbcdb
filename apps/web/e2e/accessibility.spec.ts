import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { createToken, createUser, expectAccessible, expectNoPageOverflow, openAccountMenu, openLogin, row, shot, signIn, signInAs, VIEWPORTS } from "./support";

/** axe, no sideways overflow, and a screenshot: the three checks every page and dialog gets. */
async function check(page: Page, info: TestInfo, what: string, file: string) {
  await expectAccessible(page, info, what);
  await expectNoPageOverflow(page, what);
  await shot(page, info, file);
}

/** Opens a dialog, checks it (its buttons in view too), and closes it with Cancel or Escape. */
async function checkDialog(page: Page, info: TestInfo, open: () => Promise<void>, what: string, file: string) {
  await open();
  const dialog = page.getByRole("dialog").or(page.getByRole("alertdialog"));
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button").last()).toBeInViewport();
  await check(page, info, what, file);
  const cancel = dialog.getByRole("button", { name: "Cancel" });
  if (await cancel.count()) await cancel.click();
  else await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
}

// Every page and dialog, each with axe and a full-page screenshot: more than 60 s on a loaded machine.
test.describe.configure({ timeout: 120_000 });

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test.describe(`accessibility, ${name}`, () => {
    test.use({ viewport });

    test(`axe finds nothing on any page or dialog; nothing overflows (${name})`, async ({ page, request }, info) => {
      await openLogin(page);
      await check(page, info, `/login (${name})`, `100-${name}-login`);

      const user = await createUser(request, `a11y-${name}`);
      await signInAs(page, user);
      await check(page, info, `/tokens, empty (${name})`, `101-${name}-tokens-empty`);
      await checkDialog(page, info, () => page.getByRole("button", { name: "New token" }).click(), `New token (${name})`, `102-${name}-new-token`);
      // The tallest form: limited endpoints and a custom lifetime; Create stays in view on a phone.
      await page.getByRole("button", { name: "New token" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByLabel("Only these endpoints").check();
      await dialog.getByLabel("Lifetime", { exact: true }).selectOption("custom");
      await expect(dialog.getByRole("button", { name: "Create" })).toBeInViewport();
      await expect(dialog.getByRole("button", { name: "Cancel" })).toBeInViewport();
      await check(page, info, `New token, all fields (${name})`, `103-${name}-new-token-tall`);
      await dialog.getByRole("button", { name: "Cancel" }).click();

      const created = await createToken(page, "Twin token", { preset: "30 days" });
      await check(page, info, `token reveal (${name})`, `104-${name}-reveal`);
      await created.dialog.getByRole("button", { name: "Done" }).click();
      await checkDialog(page, info, () => row(page, "Twin token").getByRole("button", { name: /^Rotate/ }).click(), `Rotate (${name})`, `105-${name}-rotate`);
      // Rotation twins (kept for an hour) have names of their own: the id prefix.
      await row(page, "Twin token").getByRole("button", { name: /^Rotate/ }).click();
      await page.getByRole("dialog").getByLabel("Keep it working for 1 hour").check();
      await page.getByRole("dialog").getByRole("button", { name: "Rotate token" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
      // Done takes the user to the new token's page; the list shows both twins.
      await expect(page).toHaveURL(/\/tokens\/[0-9a-f-]{36}$/);
      await page.goto("/tokens");
      await expect(row(page, "Twin token")).toHaveCount(2);
      const revokeNames = await page.getByRole("button", { name: /^Revoke Twin token/ }).evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")));
      expect(new Set(revokeNames).size).toBe(2);
      await check(page, info, `/tokens with rotation twins (${name})`, `106-${name}-twins`);
      await checkDialog(page, info, () => page.getByRole("button", { name: /^Revoke Twin token/ }).first().click(), `Revoke (${name})`, `107-${name}-revoke`);
      await page.getByRole("checkbox", { name: "Select every token on this page" }).check();
      await checkDialog(page, info, () => page.getByRole("button", { name: /^Revoke 2 selected/ }).click(), `bulk revoke (${name})`, `108-${name}-bulk-revoke`);
      await row(page, "Twin token").first().getByRole("link").first().click();
      await expect(page.getByRole("heading", { name: "Usage" })).toBeVisible();
      await check(page, info, `token page (${name})`, `109-${name}-token-page`);

      await page.goto("/activity");
      await expect(page.getByRole("row").nth(1)).toBeVisible();
      await check(page, info, `/activity (${name})`, `110-${name}-activity`);

      // Keyboard: the skip link comes first and lands on the page's content.
      await page.keyboard.press("Tab");
      const skip = page.getByRole("link", { name: "Skip to main content" });
      await expect(skip).toBeFocused();
      await shot(page, info, `111-${name}-skip-link`);
      await page.keyboard.press("Enter");
      await expect(page.locator("main")).toBeFocused();

      // After the keyboard check, which needs a freshly loaded page.
      await page.goto("/webhooks");
      await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
      await check(page, info, `/webhooks (${name})`, `110b-${name}-webhooks`);
      await checkDialog(page, info, () => page.getByRole("button", { name: "New webhook" }).click(), `New webhook (${name})`, `110c-${name}-new-webhook`);
    });

    test(`administrators' pages and dialogs, and the phone menu (${name})`, async ({ page, request }, info) => {
      await createUser(request, `a11y-target-${name}`);
      await signIn(page);
      if (name === "narrow") {
        await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
        await page.getByRole("button", { name: "Menu", exact: true }).click();
        await expect(page.getByRole("button", { name: "Close menu" })).toHaveAttribute("aria-expanded", "true");
        await check(page, info, "menu open (narrow)", "112-narrow-menu");
        await page.keyboard.press("Escape");
        await expect(page.getByRole("button", { name: "Menu", exact: true })).toBeFocused();
        await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
        await page.getByRole("button", { name: "Menu", exact: true }).click();
      }
      await page.getByRole("link", { name: "Users" }).click();
      await expect(page.getByRole("cell", { name: `a11y-target-${name}`, exact: true })).toBeVisible();
      await check(page, info, `/users (${name})`, `113-${name}-users`);
      await checkDialog(page, info, () => page.getByRole("button", { name: "New user" }).click(), `New user (${name})`, `114-${name}-new-user`);
      await checkDialog(page, info, () => page.getByRole("button", { name: `Reset password of a11y-target-${name}` }).click(), `Reset password (${name})`, `115-${name}-reset`);
      await checkDialog(page, info, () => page.getByRole("button", { name: `Delete a11y-target-${name}` }).click(), `Delete user (${name})`, `116-${name}-delete`);
      await page.goto("/keys");
      await expect(page.getByRole("row").nth(1)).toBeVisible();
      await check(page, info, `/keys (${name})`, `117-${name}-keys`);
      await checkDialog(page, info, () => page.getByRole("button", { name: "Rotate key" }).click(), `Rotate key (${name})`, `118-${name}-rotate-key`);
    });
  });
}

test("dark mode follows the system, and a chosen theme is remembered without a flash", async ({ page, request }, info) => {
  const user = await createUser(request, "dark-mode");
  await page.emulateMedia({ colorScheme: "dark" });
  await signInAs(page, user);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const dark = await background();
  await page.emulateMedia({ colorScheme: "light" });
  expect(await background()).not.toBe(dark);
  await page.emulateMedia({ colorScheme: "dark" });
  const { dialog } = await createToken(page, "Night token", { preset: "1 day" });
  await dialog.getByRole("button", { name: "Done" }).click();
  await expectAccessible(page, info, "/tokens, system dark");
  await shot(page, info, "120-dark-system");

  // Chosen "Dark" while the system is light: the server renders it into the page itself.
  await page.emulateMedia({ colorScheme: "light" });
  await openAccountMenu(page);
  await page.getByLabel("Theme").selectOption("dark");
  expect(await background()).toBe(dark);
  const html = await (await page.request.get("/tokens")).text();
  expect(html).toMatch(/<html[^>]* data-theme="dark"/);
  await page.reload();
  expect(await background()).toBe(dark);
  await openAccountMenu(page);
  await expect(page.getByLabel("Theme")).toHaveValue("dark");
  await page.keyboard.press("Escape");
  await row(page, "Night token").getByRole("link").first().click();
  await expect(page.locator(".recharts-surface")).toBeVisible();
  await expectAccessible(page, info, "token page, dark");
  await shot(page, info, "121-dark-token-page");
  await page.goto("/activity");
  await expect(page.getByRole("row").nth(1)).toBeVisible();
  await expectAccessible(page, info, "/activity, dark");
  await openAccountMenu(page);
  await page.getByLabel("Theme").selectOption("system");
});
