import { expect, test } from "@playwright/test";
import { ADMIN, createUser, shot, signInAs } from "./support";

const admin = { Authorization: `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString("base64")}` };

test("the New token dialog shows the token policy in force before the user hits it, and the refusal names it", async ({ page, request }, info) => {
  const user = await createUser(request, "policy-e2e");
  // This user's own policy only: other tests running against the same server are not touched.
  const set = await request.post("/api/trpc/policy.set", { headers: admin, data: { account: user.username, maxLife: "7 days", requireEndpoints: false } });
  expect(set.status(), await set.text()).toBe(200);
  await signInAs(page, user);
  await page.getByRole("button", { name: "New token" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByTestId("token-policy")).toHaveText("Token policy: Lifetime at most 7 days");
  await dialog.getByLabel("Description").fill("Too long");
  await dialog.getByLabel("Lifetime", { exact: true }).selectOption("30 days");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByText(`the token policy of "${user.username}" allows a lifetime of at most 7 days (this one: 30 days)`)).toBeVisible();
  await shot(page, info, "120-policy-in-dialog");
});
