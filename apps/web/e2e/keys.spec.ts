import { expect, test } from "@playwright/test";
import { shot, signIn } from "./support";

test("administrators see the signing keys and rotate them", async ({ page, request }, info) => {
  await signIn(page);
  await page.getByRole("link", { name: "Signing keys" }).click();
  await expect(page.getByRole("heading", { name: "Signing keys" })).toBeVisible();
  const signing = page.getByRole("row").filter({ hasText: "Signing" });
  await expect(signing).toHaveCount(1);
  await expect(signing).toContainText("ES256");
  await shot(page, info, "50-signing-keys");

  await page.getByRole("button", { name: "Rotate key" }).click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText("A new key is published now");
  await confirm.getByRole("button", { name: "Publish a new key" }).click();
  await expect(confirm).toBeHidden();
  const published = page.getByRole("row").filter({ hasText: "Published" });
  await expect(published).toHaveCount(1);
  await expect(published).toContainText("Signs from");
  await shot(page, info, "51-key-published");

  // Published before it signs: the key set already has both keys.
  const jwks = (await (await request.get("/.well-known/jwks.json")).json()) as { keys: { kid: string }[] };
  expect(jwks.keys).toHaveLength(2);
});
