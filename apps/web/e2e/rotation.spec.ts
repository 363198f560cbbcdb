import { expect, test } from "@playwright/test";
import { createToken, createUser, expectAccessible, expectNoPageOverflow, row, shot, signInAs, VIEWPORTS } from "./support";

/**
 * Rotation that cannot take down the new token by surprise: a short overlap by default with the
 * consequence of "now" written beside it; the user lands on the new token; a retiring token says
 * when it stops (and when its expiry cut the overlap short); and when reuse detection revokes a
 * family, every token in it says why, when, and which token from which address.
 */
test("the rotate dialog defaults to an overlap and says what stopping now risks; the new token's page follows", async ({ page, request }, info) => {
  await page.setViewportSize(VIEWPORTS.wide);
  const user = await createUser(request, "rotator");
  await signInAs(page, user);
  const { dialog } = await createToken(page, "Nightly export", { preset: "30 days" });
  await dialog.getByRole("button", { name: "Done" }).click();
  const oldId = (await row(page, "Nightly export").getAttribute("data-token-id"))!;

  const rotate = page.getByRole("dialog");
  const open = async () => {
    await row(page, "Nightly export").getByRole("button", { name: /^Rotate/ }).click();
    await expect(rotate.getByLabel("Keep it working for 10 minutes")).toBeChecked();
  };
  await open();
  await expect(rotate.getByLabel("Stop it now")).not.toBeChecked();
  await expect(rotate).toContainText("a forgotten cron job");
  await expect(rotate).toContainText("the new token is revoked too");
  await expectAccessible(page, info, "rotate dialog, 1280");
  await shot(page, info, "140-rotate-dialog-1280");
  // On a phone (the list is cards there, so the dialog opens again) and in dark mode.
  await rotate.getByRole("button", { name: "Cancel" }).click();
  await page.setViewportSize(VIEWPORTS.narrow);
  await open();
  await expect(rotate.getByRole("button", { name: "Rotate token" })).toBeInViewport();
  await expectAccessible(page, info, "rotate dialog, 375");
  await page.emulateMedia({ colorScheme: "dark" });
  await expectAccessible(page, info, "rotate dialog, dark");
  await shot(page, info, "140-rotate-dialog-375-dark");
  await page.emulateMedia({ colorScheme: "light" });
  await rotate.getByRole("button", { name: "Cancel" }).click();
  await page.setViewportSize(VIEWPORTS.wide);
  await open();
  await rotate.getByRole("button", { name: "Rotate token" }).click();

  const reveal = page.getByRole("dialog");
  await expect(reveal).toContainText("The old token keeps working for 10 minutes, until");
  await reveal.getByRole("button", { name: "Done" }).click();
  // The new token's page, its heading focused.
  await expect(page).toHaveURL(/\/tokens\/[0-9a-f-]{36}$/);
  expect(page.url()).not.toContain(oldId);
  await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
  await expect(page.getByText(`Made by rotating ${oldId.slice(0, 8)}`)).toBeVisible();
  // Its Lineage names the old one by the same state rule as the old one's own page: Retiring.
  const lineage = page.getByRole("region", { name: "Lineage" });
  await expect(lineage.getByText("Rotated from")).toBeVisible();
  await expect(lineage.getByText("Retiring", { exact: true })).toBeVisible();
  await shot(page, info, "141-new-token-page");

  // The old one: Retiring, and when it stops — in the list and on its page.
  await page.goto("/tokens");
  const old = page.locator(`[data-token-id="${oldId}"]`);
  await expect(old.getByText("Retiring")).toBeVisible();
  await expect(old.getByTestId("remaining")).toHaveText(/^Stops in (9|10) min/);
  await old.getByRole("link", { name: /Nightly export/ }).click();
  await expect(page.getByTestId("token-ending")).toContainText(/Retiring: rotated .*, it stops .* \(in (9|10) min/);
  await expect(page.getByTestId("token-ending")).toContainText("with an overlap of 10 minutes");
  await expectNoPageOverflow(page, "a retiring token's page");
  await shot(page, info, "142-retiring");
});

test("an overlap the token's own expiry cuts short is said before and after", async ({ page, request }, info) => {
  const user = await createUser(request, "short-lived");
  await signInAs(page, user);
  const { dialog } = await createToken(page, "Short job", { preset: "1 hour" });
  await dialog.getByRole("button", { name: "Done" }).click();
  await row(page, "Short job").getByRole("button", { name: /^Rotate/ }).click();
  const rotate = page.getByRole("dialog");
  await expect(rotate.getByText(/It expires in \d+ min, before that: it stops then\./)).toHaveCount(2);
  await rotate.getByLabel("Keep it working for 1 day").check();
  await rotate.getByRole("button", { name: "Rotate token" }).click();
  await expect(page.getByRole("dialog")).toContainText("The old token keeps working until it expires");
  await expect(page.getByRole("dialog")).toContainText("before the 1 day you asked for ended");
  await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
  await page.goto("/tokens");
  await row(page, "Short job").filter({ hasText: "Retiring" }).getByRole("link", { name: /Short job/ }).click();
  await expect(page.getByTestId("token-ending")).toContainText("The overlap was cut short: this token expires before it would have ended");
  await shot(page, info, "143-cut-short");
});

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test(`reuse detection: every token of the family says why, when, and which token from where — on its page and in Activity (${name})`, async ({ page, request }, info) => {
    await page.setViewportSize(viewport);
    const user = await createUser(request, `reuse-${name}`);
    await signInAs(page, user);
    const { dialog, token: oldToken } = await createToken(page, "Cron job", { preset: "30 days" });
    await dialog.getByRole("button", { name: "Done" }).click();
    const oldId = (await row(page, "Cron job").getAttribute("data-token-id"))!;
    await row(page, "Cron job").getByRole("button", { name: /^Rotate/ }).click();
    await page.getByRole("dialog").getByLabel("Stop it now").check();
    await page.getByRole("dialog").getByRole("button", { name: "Rotate token" }).click();
    await expect(page.getByRole("dialog")).toContainText("The old token stopped working now.");
    await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
    await expect(page).toHaveURL(/\/tokens\/[0-9a-f-]{36}$/);
    const newUrl = page.url();

    // The forgotten job runs with the old token.
    expect((await request.get("/v1alpha/token/self", { headers: { Authorization: `Bearer ${oldToken}` } })).status()).toBe(401);

    await page.reload();
    const ending = page.getByTestId("token-ending");
    await expect(ending).toContainText("Revoked by reuse detection");
    await expect(ending).toContainText("from 127.0.0.1");
    await expect(ending.getByRole("link", { name: new RegExp(`Cron job.*${oldId.slice(0, 8)}`) })).toBeVisible();
    await expect(page.getByRole("region", { name: "Details" }).getByText("Revoked", { exact: true })).toBeVisible();
    await expect(page.getByRole("region", { name: "Events" })).toContainText("Token revoked: reuse detected");
    await expectAccessible(page, info, `revoked by reuse (${name})`);
    await expectNoPageOverflow(page, "revoked by reuse");
    await shot(page, info, `144-${name}-reuse-page`);

    // The token presented: its page says it was presented after it stopped.
    await ending.getByRole("link", { name: /Cron job/ }).click();
    await expect(page.getByRole("region", { name: "Events" })).toContainText("Reuse detected: family revoked");

    await page.goto("/activity");
    const revoked = page.getByRole("row").filter({ hasText: "Token revoked: reuse detected" });
    await expect(revoked).toHaveCount(1);
    await expect(revoked).toContainText(`token ${oldId.slice(0, 8)} presented from 127.0.0.1`);
    await expect(page.getByRole("row").filter({ hasText: "Reuse detected: family revoked" })).toContainText("1 token revoked");
    await expectAccessible(page, info, `activity after reuse (${name})`);
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(newUrl);
    await expect(page.getByTestId("token-ending")).toBeVisible();
    await expectAccessible(page, info, `revoked by reuse, dark (${name})`);
    await page.emulateMedia({ colorScheme: "light" });
  });
}
