import { expect, test } from "@playwright/test";
import { createToken, row, shot, signIn } from "./support";

test("a token made by a token shows its parent, and is revoked with it", async ({ page, request }, info) => {
  await signIn(page);
  const { dialog, token: parent } = await createToken(page, "Parent token", { preset: "30 days" });
  await dialog.getByRole("button", { name: "Done" }).click();
  const made = await request.post("/v1alpha/token/", {
    headers: { Authorization: `Bearer ${parent}` },
    data: { jwt_token_description: "Child token", jwt_token_life: "1 day" },
  });
  expect(made.status()).toBe(201);
  const child = (await made.json()) as { jwt_token: string };
  const parentId = ((await (await request.get("/v1alpha/token/self", { headers: { Authorization: `Bearer ${parent}` } })).json()) as { jwt_token_id: string }).jwt_token_id;

  await page.reload();
  await expect(row(page, "Child token").getByRole("link", { name: parentId.slice(0, 8), exact: true })).toBeVisible();
  await shot(page, info, "40-created-by-token");

  await page.getByRole("button", { name: "Revoke Parent token" }).click();
  await expect(page.getByRole("alertdialog")).toContainText("Tokens it created stop too.");
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke token" }).click();
  // While the dialog is open the table is hidden from role queries: wait for it to close first.
  await expect(page.getByRole("alertdialog")).toBeHidden();
  await expect(row(page, "Parent token")).toHaveCount(0);
  const refused = await request.get("/v1alpha/token/self", { headers: { Authorization: `Bearer ${child.jwt_token}` } });
  expect(refused.status()).toBe(401);
  await page.reload();
  await expect(row(page, "Child token")).toHaveCount(0);
});
