import { expect, test } from "@playwright/test";
import { createToken, createUser, expectAccessible, expectAccessibleEverywhere, row, shot, signInAs } from "./support";

test("pause a token from its page: refused until resumed, shown as Paused, not rotated meanwhile", async ({ page, request }, info) => {
  test.setTimeout(120_000); // axe at three sizes on a loaded machine
  const user = await createUser(request, "pause-owner");
  await signInAs(page, user);
  const { dialog, token } = await createToken(page, "Nightly export", { preset: "30 days" });
  await dialog.getByRole("button", { name: "Done" }).click();
  const self = async () => (await request.get("/v1alpha/token/self", { headers: { Authorization: `Bearer ${token}` } })).status();
  expect(await self()).toBe(200);

  await row(page, "Nightly export").getByRole("link", { name: /Nightly export/ }).click();
  await expect(page).toHaveURL(/\/tokens\/[0-9a-f-]{36}$/);
  await page.getByRole("button", { name: /^Pause Nightly export/ }).click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText("refused everywhere (401) until you resume it");
  await expectAccessible(page, info, "the pause confirmation");
  await confirm.getByRole("button", { name: "Pause token" }).click();

  const facts = page.getByRole("region", { name: "Details" });
  await expect(facts.getByText("Paused", { exact: true })).toBeVisible();
  expect(await self()).toBe(401);
  // A rotation would hand out a replacement that is not paused.
  await expect(page.getByRole("button", { name: /^Rotate Nightly export/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Resume Nightly export/ })).toBeVisible();
  await shot(page, info, "80-paused-token-page");
  await expectAccessibleEverywhere(page, info, "a paused token's page");

  await page.getByRole("link", { name: "Tokens", exact: true }).first().click();
  await expect(row(page, "Nightly export").getByText("Paused", { exact: true })).toBeVisible();
  await row(page, "Nightly export").getByRole("link", { name: /Nightly export/ }).click();

  await page.getByRole("button", { name: /^Resume Nightly export/ }).click();
  await expect(page.getByRole("button", { name: /^Pause Nightly export/ })).toBeVisible();
  await expect(facts.getByText("Paused", { exact: true })).toHaveCount(0);
  expect(await self()).toBe(200);
});
