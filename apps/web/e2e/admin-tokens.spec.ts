import { expect, test } from "@playwright/test";
import { createTokenAs, createUser, expectAccessible, expectNoPageOverflow, shot, signIn, VIEWPORTS } from "./support";

/**
 * Administrators see and act on every user's tokens in the dashboard: all tokens filtered by user,
 * revoke and bulk revoke, and each user's own page listing their tokens.
 */
test("an administrator lists every user's tokens, filters by user, revokes one and several", async ({ page, request }, info) => {
  await page.setViewportSize(VIEWPORTS.wide);
  const dana = await createUser(request, "dana");
  const eli = await createUser(request, "eli");
  const danas = [await createTokenAs(request, dana, "dana deploy"), await createTokenAs(request, dana, "dana backup")];
  const elis = [await createTokenAs(request, eli, "eli metrics"), await createTokenAs(request, eli, "eli billing"), await createTokenAs(request, eli, "eli reports")];
  await signIn(page);
  await page.getByLabel("Whose").selectOption("*");
  await expect(page).toHaveURL(/user=\*/);
  await page.getByLabel("Search").fill("dana eli");
  await expect(page.getByTestId("results-summary")).toHaveText("No tokens found");
  await page.getByLabel("Search").fill("dana");
  await expect(page.locator("[data-token-id]")).toHaveCount(2);
  await expect(page.getByRole("columnheader", { name: "User" })).toBeVisible();
  await expect(page.locator(`[data-token-id="${danas[0]!.id}"]`).getByRole("link", { name: "dana", exact: true })).toBeVisible();
  await shot(page, info, "150-all-users-tokens");

  // By user: eli's three.
  await page.getByLabel("Search").fill("");
  await page.getByLabel("Whose").selectOption("eli");
  await expect(page).toHaveURL(/user=eli/);
  await expect(page.locator("[data-token-id]")).toHaveCount(3);
  await expectAccessible(page, info, "eli's tokens, as an admin");

  // Revoke one of eli's: the confirmation names whose it is; the token stops over REST.
  await page.getByRole("button", { name: /^Revoke eli metrics/ }).click();
  await expect(page.getByRole("alertdialog")).toContainText("Revoke eli's token?");
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke token" }).click();
  await expect(page.locator(`[data-token-id="${elis[0]!.id}"]`)).toHaveCount(0);
  expect((await request.get("/v1alpha/token/self", { headers: { Authorization: `Bearer ${elis[0]!.token}` } })).status()).toBe(401);

  // Bulk: both of the rest.
  await page.getByRole("checkbox", { name: "Select every token on this page" }).check();
  await page.getByRole("button", { name: "Revoke 2 selected tokens" }).click();
  await expect(page.getByRole("alertdialog")).toContainText("eli billing");
  await expect(page.getByRole("alertdialog")).toContainText("· eli");
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke 2 tokens", exact: true }).click();
  await expect(page.getByText("Revoked 2 tokens")).toBeVisible();
  await expect(page.getByTestId("results-summary")).toHaveText("No tokens found");
  for (const { token } of elis.slice(1)) expect((await request.get("/v1alpha/token/self", { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(401);
  // Dana's are untouched.
  expect((await request.get("/v1alpha/token/self", { headers: { Authorization: `Bearer ${danas[0]!.token}` } })).status()).toBe(200);

  // Activity names whose tokens they were.
  await page.goto("/activity?action=token.revoke");
  await expect(page.getByRole("row").filter({ hasText: "Token revoked by an administrator: eli's token" })).toHaveCount(3);
});

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test(`each user's page lists their tokens, which an administrator can open and revoke (${name})`, async ({ page, request }, info) => {
    test.setTimeout(120_000); // axe four times
    await page.setViewportSize(viewport);
    const fay = await createUser(request, `fay-${name}`);
    const fays = [await createTokenAs(request, fay, "fay ci"), await createTokenAs(request, fay, "fay cron")];
    await signIn(page);
    await page.goto("/users");
    await page.getByRole("link", { name: fay.username, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/users/${fay.username}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(fay.username);
    await expect(page.getByTestId("active-tokens")).toHaveText("2 active tokens");
    await expect(page.locator("[data-token-id]")).toHaveCount(2);
    await expectNoPageOverflow(page, "a user's page");
    await expectAccessible(page, info, `a user's page (${name})`);
    await shot(page, info, `151-${name}-user-page`);

    // Their token's page, seen as an administrator.
    await page.getByRole("link", { name: /fay ci/ }).click();
    await expect(page.getByText(`A token of ${fay.username}: you see it as an administrator.`)).toBeVisible();
    await expect(page.getByRole("button", { name: /^Rotate/ })).toHaveCount(0);
    await expectAccessible(page, info, `another user's token page (${name})`);
    await page.getByRole("button", { name: /^Revoke fay ci/ }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Revoke token" }).click();
    await expect(page.getByTestId("token-ending")).toContainText("Revoked by an administrator (admin)");
    expect((await request.get("/v1alpha/token/self", { headers: { Authorization: `Bearer ${fays[0]!.token}` } })).status()).toBe(401);
    await page.getByRole("link", { name: `← ${fay.username}'s tokens` }).click();
    await expect(page.locator("[data-token-id]")).toHaveCount(1);
    await page.emulateMedia({ colorScheme: "dark" });
    await expectAccessible(page, info, `a user's page, dark (${name})`);
    await page.emulateMedia({ colorScheme: "light" });
  });
}

test("a user's page on a phone: the active-token count is one piece, with no stray separator", async ({ page, request }, info) => {
  await createUser(request, "phone-counted");
  await page.setViewportSize(VIEWPORTS.narrow);
  await signIn(page);
  await page.goto("/users/phone-counted");
  const count = page.getByTestId("active-tokens");
  await expect(count).toHaveText("0 active tokens");
  await expect(page.locator("h1 + p")).not.toContainText("·");
  const box = await count.evaluate((el) => ({ height: el.getBoundingClientRect().height, line: parseFloat(getComputedStyle(el).lineHeight) }));
  expect(box.height).toBeLessThan(box.line * 1.5);
  await page.emulateMedia({ colorScheme: "dark" });
  await expectAccessible(page, info, "a user's page, 375, dark");
});
