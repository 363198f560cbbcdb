import { expect, test } from "@playwright/test";
import { createUser, expectAccessible, signInAs, VIEWPORTS } from "./support";

test("the account menu changes one's own password: the current one is asked for, the new one signs in", async ({ page, request }, info) => {
  await page.setViewportSize(VIEWPORTS.wide);
  const user = await createUser(request, "own-password");
  await signInAs(page, user);
  await page.getByRole("button", { name: "Account: own-password" }).click();
  await page.getByRole("button", { name: "Change my password" }).click();
  const dialog = page.getByRole("dialog", { name: "Change my password" });
  await dialog.getByLabel("Current password").fill("not-my-password");
  await dialog.getByLabel("New password").fill("own-password-2");
  await dialog.getByRole("button", { name: "Change password" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("That is not your current password.");
  await expectAccessible(page, info, "change my password, wrong current one");
  await page.emulateMedia({ colorScheme: "dark" });
  await expectAccessible(page, info, "change my password, dark");
  await page.emulateMedia({ colorScheme: "light" });
  await dialog.getByLabel("Current password").fill(user.password);
  await dialog.getByRole("button", { name: "Change password" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText("Password changed.")).toBeVisible();
  // Still signed in here; the new password is the one that works.
  await page.reload();
  await expect(page.getByRole("heading", { name: "Tokens", exact: true })).toBeVisible();
  const origin = new URL(page.url()).origin;
  const login = (password: string) => request.post("/api/trpc/auth.login", { data: { username: user.username, password }, headers: { origin } });
  expect((await login(user.password)).status()).toBe(401);
  expect((await login("own-password-2")).status()).toBe(200);
});

test("on a phone, Change my password is in the menu", async ({ page, request }, info) => {
  await page.setViewportSize(VIEWPORTS.narrow);
  const user = await createUser(request, "own-password-phone");
  await signInAs(page, user);
  await page.getByRole("button", { name: "Menu" }).click();
  await page.getByRole("button", { name: "Change my password" }).click();
  await expect(page.getByRole("dialog", { name: "Change my password" }).getByLabel("Current password")).toBeFocused();
  await expectAccessible(page, info, "change my password, 375");
});
