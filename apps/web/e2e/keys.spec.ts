import { expect, test } from "@playwright/test";
import { shot, signIn } from "./support";

/** What keys.list answers, with the page's session: the API's names for the key states. */
async function apiStates(page: import("@playwright/test").Page): Promise<string[]> {
  const answer = await page.request.get("/api/trpc/keys.list");
  expect(answer.status()).toBe(200);
  return ((await answer.json()) as { result: { data: { state: string }[] } }).result.data.map((k) => k.state).sort();
}

test("administrators see the signing keys, under the API's own state names, and rotate them", async ({ page, request }, info) => {
  await signIn(page);
  await page.getByRole("link", { name: "Signing keys" }).click();
  await expect(page.getByRole("heading", { name: "Signing keys" })).toBeVisible();
  const current = page.getByRole("row").filter({ hasText: "Current" });
  await expect(current).toHaveCount(1);
  await expect(current).toContainText("ES256");
  await expect(current).toContainText("signs new tokens");
  await shot(page, info, "50-signing-keys");

  await page.getByRole("button", { name: "Rotate key" }).click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText("A new key is published now");
  await confirm.getByRole("button", { name: "Publish a new key" }).click();
  await expect(confirm).toBeHidden();
  // By the State cell: the header's "Next change" is not a key.
  const next = page.getByRole("row").filter({ has: page.getByRole("cell", { name: /^Next / }) });
  await expect(next).toHaveCount(1);
  await expect(next).toContainText("Signs from");
  await shot(page, info, "51-key-published");

  // One set of names: the badges say what keys.list (and the CLI, and the docs) say.
  const badges = await page.locator("table tbody tr td:nth-child(3) > span:first-child").allTextContents();
  expect(badges.map((b) => b.toLowerCase()).sort()).toEqual(await apiStates(page));

  // Published before it signs: the key set already has both keys.
  const jwks = (await (await request.get("/.well-known/jwks.json")).json()) as { keys: { kid: string }[] };
  expect(jwks.keys).toHaveLength(2);
});
