import { expect, test } from "@playwright/test";
import { ADMIN, createToken, openAccountMenu, row, shot, signIn } from "./support";

test.describe.configure({ mode: "serial" });

test("signed out, every page goes to sign-in; a wrong password is refused, the right one signs in", async ({ page }, info) => {
  await page.goto("/tokens");
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.locator("form[data-ready]")).toBeVisible();
  await shot(page, info, "01-login");

  await page.getByLabel("Username").fill(ADMIN.username);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("Invalid username or password");
  await expect(page).toHaveURL(/\/login$/);
  await shot(page, info, "02-wrong-password");

  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/tokens$/);
  await expect(page.getByRole("heading", { name: "Tokens", exact: true })).toBeVisible();
  await expect(page.getByText("No active tokens")).toBeVisible();
  await shot(page, info, "03-empty-tokens");

  // The session cookie is HttpOnly and SameSite=Lax.
  const cookie = (await page.context().cookies()).find((c) => c.name === "tokensmith_session");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });
});

test("create with a preset: shown once, copied, works over REST, gone after Done and reload", async ({ page, request }, info) => {
  await signIn(page);
  const { dialog, token } = await createToken(page, "Preset token", { preset: "7 days" });
  expect(token).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  await expect(dialog.getByText("It will not be shown again")).toBeVisible();
  await shot(page, info, "04-token-revealed");

  await dialog.getByRole("button", { name: "Copy token" }).click();
  await expect(dialog.getByRole("button", { name: "Copied token" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

  const rest = await request.get("/v1alpha/token/", { headers: { Authorization: `Bearer ${token}` } });
  expect(rest.status()).toBe(200);
  const listed = Object.values((await rest.json()).jwt_tokens) as { jwt_token_description: string }[];
  expect(listed.map((t) => t.jwt_token_description)).toContain("Preset token");

  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();
  const presetRow = row(page, "Preset token");
  await expect(presetRow).toBeVisible();
  await expect(presetRow.getByTestId("remaining")).toHaveText(/^6 d 23 h$/);
  await expect(presetRow.getByText("Valid")).toBeVisible();
  expect(await page.content()).not.toContain(token);
  await shot(page, info, "05-token-listed");

  await page.reload();
  await expect(row(page, "Preset token")).toBeVisible();
  expect(await page.content()).not.toContain(token);
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  expect(storage).not.toContain(token);
});

test("create with a custom lifetime, and see the API's message for an invalid one", async ({ page }, info) => {
  await signIn(page);
  await page.getByRole("button", { name: "New token" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Description").fill("Custom token");
  await dialog.getByLabel("Lifetime", { exact: true }).selectOption("custom");
  await dialog.getByLabel("Custom lifetime").fill("banana");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByRole("alert")).toContainText('Invalid lifetime "banana"');
  await expect(dialog.getByRole("alert")).toContainText("Accepted units");
  await shot(page, info, "06-invalid-lifetime");

  // Parses, but only the server knows the maximum: its message is shown in the same place.
  await dialog.getByLabel("Custom lifetime").fill("400 days");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByRole("alert")).toContainText("exceeds the maximum of 365 days");

  await dialog.getByLabel("Custom lifetime").fill("6 minutes");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByLabel("Your new token")).toBeVisible();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(row(page, "Custom token").getByTestId("remaining")).toHaveText(/^[56] min$/);
  await shot(page, info, "07-custom-lifetime");
});

test("revoke: confirm, the row leaves, and the token is refused over REST at once", async ({ page, request }, info) => {
  await signIn(page);
  const { dialog, token } = await createToken(page, "Doomed token", { preset: "1 hour" });
  await dialog.getByRole("button", { name: "Done" }).click();
  const doomed = row(page, "Doomed token");
  await doomed.getByRole("button", { name: "Revoke" }).click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText("Revoke this token?");
  await shot(page, info, "08-revoke-confirm");
  await confirm.getByRole("button", { name: "Revoke token" }).click();
  await expect(doomed).toHaveCount(0);
  await expect(page.getByText("Token “Doomed token” revoked")).toBeVisible();
  // The row (and its button) is gone: focus lands on the list's summary, not on the page body.
  await expect(page.getByTestId("results-summary")).toBeFocused();
  await shot(page, info, "09-revoked");

  const rest = await request.get("/v1alpha/token/", { headers: { Authorization: `Bearer ${token}` } });
  expect(rest.status()).toBe(401);
});

test("a 2-second token turns Expired", async ({ page }, info) => {
  await signIn(page);
  const { dialog } = await createToken(page, "Blink token", { custom: "2 seconds" });
  await dialog.getByRole("button", { name: "Done" }).click();
  const blink = row(page, "Blink token");
  await expect(blink.getByText("Expired", { exact: true }).first()).toBeVisible({ timeout: 5_000 });
  await expect(blink.getByTestId("remaining")).toHaveText(/^Expired /);
  // An expired token has nothing left to stop: no Revoke, no Rotate.
  await expect(blink.getByRole("button")).toHaveCount(0);
  await shot(page, info, "10-expired");
});

test("the dialogs work from the keyboard; Escape asks before a token shown once is discarded", async ({ page }, info) => {
  await signIn(page);
  await page.getByRole("button", { name: "New token" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("dialog")).toBeVisible();
  await expect(page.getByLabel("Description")).toBeFocused();
  await page.keyboard.type("Keyboard token");
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Your new token")).toBeVisible();
  await page.keyboard.press("Escape");
  // Not discarded: the dialog asks, with "Keep it open" as the safe default.
  await expect(page.getByRole("dialog")).toBeVisible();
  await expect(page.getByText("Close without the token? It cannot be shown again.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Keep it open" })).toBeFocused();
  await shot(page, info, "12-escape-asks");
  await page.keyboard.press("Enter");
  await expect(page.getByText("Close without the token?")).toBeHidden();
  await expect(page.getByLabel("Your new token")).toBeVisible();
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Discard token" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("dialog")).toBeHidden();
  await expect(page.getByRole("button", { name: "New token" })).toBeFocused();
  await expect(row(page, "Keyboard token")).toBeVisible();
});

test("sign out returns to sign-in, and the session is gone", async ({ page }, info) => {
  await signIn(page);
  await openAccountMenu(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await shot(page, info, "11-signed-out");
  await page.goto("/tokens");
  await expect(page).toHaveURL(/\/login$/);
});
